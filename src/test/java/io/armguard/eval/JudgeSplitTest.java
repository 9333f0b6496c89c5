package io.armguard.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.data.ReplyItem;
import io.armguard.data.ReplySet;
import io.armguard.data.ReplySplit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JudgeSplitTest {
  private static final List<String> VALID = List.of("val");
  private static final List<String> HELD_OUT = List.of("test");
  private static final ReplySplit SPLIT = new ReplySplit(VALID, HELD_OUT, 0.2);

  /** 200 replies in each of batches a and b, 20 in val and test; every reply text distinct. */
  private static ReplySet replies(String... duplicated) {
    List<ReplyItem> items = new ArrayList<>();
    for (String batch : List.of("a", "b", "val", "test")) {
      int n = batch.length() == 1 ? 200 : 20;
      for (int i = 0; i < n; i++) {
        items.add(
            ReplyItem.clean(
                batch + "-" + i, batch, "", "reply " + batch + " number " + i, "plain", "x"));
      }
    }
    // the same text written into both training batches, as two writers sometimes do
    for (int i = 0; i < duplicated.length; i++) {
      items.add(ReplyItem.clean("a-dup" + i, "a", "", duplicated[i], "plain", "x"));
      items.add(ReplyItem.clean("b-dup" + i, "b", "", duplicated[i] + "!", "plain", "x"));
    }
    return ReplySet.of(items);
  }

  @Test
  void trainsOnTheJudgeShareThatTheRewardModelsLeaveOut() {
    ReplySet all = replies();
    JudgeSplit split = JudgeSplit.of(all, SPLIT);
    ReplySet reward = SPLIT.rewardTraining(all);
    Set<String> judgeIds = ids(split.train());
    Set<String> rewardIds = ids(reward);
    assertTrue(judgeIds.stream().noneMatch(rewardIds::contains));
    // together they are exactly the training batches
    Set<String> union = new HashSet<>(judgeIds);
    union.addAll(rewardIds);
    assertEquals(400, union.size());
    assertTrue(judgeIds.size() > 40 && judgeIds.size() < 120, "about a fifth: " + judgeIds.size());
    assertEquals(Set.of("a", "b"), split.train().batches());
    assertEquals(Set.of("val"), split.valid().batches());
    assertEquals(Set.of("test"), split.heldOut().batches());
    assertEquals(0, split.droppedDuplicates());
  }

  @Test
  void dropsJudgeCopiesOfTextsTheRewardModelsTrainOn() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      texts.add("Thanks, happy to help " + i);
    }
    ReplySet all = replies(texts.toArray(String[]::new));
    JudgeSplit split = JudgeSplit.of(all, SPLIT);
    // with 60 pairs split 80/20 independently, some pair lands on both sides
    assertTrue(split.droppedDuplicates() > 0, "expected some pair split across the sides");
    split.requireDisjointFrom(SPLIT.rewardTraining(all), "the reward split");
  }

  @Test
  void refusesToTrainOnRepliesOfARewardModelSplitWithOtherSettings() {
    ReplySet all = replies();
    JudgeSplit split = JudgeSplit.of(all, SPLIT);
    // a reward model that kept only 10% for the judge trained on half of the judge's share
    ReplySet other = new ReplySplit(VALID, HELD_OUT, 0.1).rewardTraining(all);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> split.requireDisjointFrom(other, "models/x"));
    assertTrue(e.getMessage().contains("models/x"), e.getMessage());
    assertTrue(e.getMessage().contains("--judge-share"), e.getMessage());
  }

  @Test
  void readsTheSplitARewardModelRecordsAndRefusesAnOverlap(@TempDir Path dir) throws Exception {
    ReplySet all = replies();
    JudgeSplit split = JudgeSplit.of(all, SPLIT);
    Path same = Files.createDirectories(dir.resolve("same"));
    Files.writeString(
        same.resolve("training.json"),
        "{\"settings\":{\"valid_batches\":\"val\",\"held_out_batches\":\"test\","
            + "\"judge_share\":0.2}}");
    split.requireDisjointFrom(JudgeSplit.rewardTrainingOf(same, all).orElseThrow(), "same");

    Path trainedOnVal = Files.createDirectories(dir.resolve("val-in-training"));
    Files.writeString(
        trainedOnVal.resolve("training.json"),
        "{\"settings\":{\"valid_batches\":\"test\",\"held_out_batches\":\"\","
            + "\"judge_share\":0.05}}");
    ReplySet wide = JudgeSplit.rewardTrainingOf(trainedOnVal, all).orElseThrow();
    assertTrue(
        ids(wide).stream().anyMatch(id -> id.startsWith("val-")),
        "the recorded settings are applied");
    assertThrows(IllegalStateException.class, () -> split.requireDisjointFrom(wide, "wide"));

    Path old = Files.createDirectories(dir.resolve("old"));
    Files.writeString(old.resolve("training.json"), "{\"steps\":10}");
    assertFalse(JudgeSplit.rewardTrainingOf(old, all).isPresent());
    assertFalse(JudgeSplit.rewardTrainingOf(dir.resolve("none"), all).isPresent());
  }

  @Test
  void namesAMissingBatch() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> JudgeSplit.of(replies(), new ReplySplit(List.of("nope"), HELD_OUT, 0.2)));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
  }

  private static Set<String> ids(ReplySet s) {
    return s.items().stream().map(ReplyItem::id).collect(Collectors.toSet());
  }
}
