package io.armguard.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataPreparerTest {
  @TempDir Path tmp;

  private static final List<String> ALL_FILES =
      List.of(
          PreparedData.LM_TRAIN,
          PreparedData.LM_VALID,
          PreparedData.LM_HELDOUT,
          PreparedData.TOX_REWARD_TRAIN,
          PreparedData.TOX_EVALUATOR_TRAIN,
          PreparedData.TOX_VALID,
          PreparedData.GOLD,
          PreparedData.LEXICON,
          PreparedData.MANIFEST);

  @Test
  void sameSeedGivesByteIdenticalOutputAndOtherSeedDiffers() throws Exception {
    DataCache cache = FixtureSources.write(tmp.resolve("cache"));
    new DataPreparer(cache, s -> {}).prepare(tmp.resolve("a"), 7);
    new DataPreparer(cache, s -> {}).prepare(tmp.resolve("b"), 7);
    new DataPreparer(cache, s -> {}).prepare(tmp.resolve("c"), 8);
    for (String f : ALL_FILES) {
      assertEquals(
          Files.readString(tmp.resolve("a").resolve(f)),
          Files.readString(tmp.resolve("b").resolve(f)),
          f);
    }
    assertNotEquals(
        Files.readString(tmp.resolve("a").resolve(PreparedData.LM_TRAIN)),
        Files.readString(tmp.resolve("c").resolve(PreparedData.LM_TRAIN)));
  }

  @Test
  void goldSetNeverAppearsInAnyTrainingFile() throws Exception {
    DataCache cache = FixtureSources.write(tmp.resolve("cache"));
    Path out = tmp.resolve("out");
    new DataPreparer(cache, s -> {}).prepare(out, 3);
    List<LabelledText> gold = PreparedData.readLabelled(out.resolve(PreparedData.GOLD));
    assertEquals(4, gold.size());
    assertEquals(2, gold.stream().mapToInt(LabelledText::label).sum());
    assertTrue(gold.stream().anyMatch(t -> t.text().equals("Nobody asked for your \"opinion\".")));
    Set<String> goldKeys = new HashSet<>();
    gold.forEach(t -> goldKeys.add(TextKey.of(t.text())));
    for (String f : PreparedData.TRAINING_FILES) {
      List<String> texts =
          f.endsWith(".jsonl")
              ? PreparedData.readLabelled(out.resolve(f)).stream().map(LabelledText::text).toList()
              : PreparedData.readLines(out.resolve(f));
      assertFalse(texts.isEmpty(), f);
      for (String text : texts) {
        assertFalse(goldKeys.contains(TextKey.of(text)), f + " contains gold text: " + text);
        for (String g : goldKeys) {
          assertFalse(TextKey.of(text).contains(g), f + " embeds gold text: " + text);
        }
      }
    }
  }

  @Test
  void sentimentSentencesTrainTheEvaluatorOnlyAndLeaveTheOtherSplitsAsTheyWere() throws Exception {
    DataCache cache = FixtureSources.write(tmp.resolve("cache"));
    Path out = tmp.resolve("out");
    new DataPreparer(cache, s -> {}).prepare(out, 5);
    List<LabelledText> evaluator =
        PreparedData.readLabelled(out.resolve(PreparedData.TOX_EVALUATOR_TRAIN));
    List<LabelledText> tone =
        evaluator.stream().filter(t -> t.source().startsWith("uci-sentiment")).toList();
    assertEquals(6, tone.size(), "3 sites x (negative, positive); the gold-equal one dropped");
    assertTrue(tone.stream().allMatch(t -> (t.label() == 1) == t.text().contains("awful")));
    for (String f : List.of(PreparedData.TOX_REWARD_TRAIN, PreparedData.TOX_VALID)) {
      assertTrue(
          PreparedData.readLabelled(out.resolve(f)).stream()
              .noneMatch(t -> t.source().startsWith("uci-sentiment")),
          f);
    }
  }

  @Test
  void splitsAreDisjointDeduplicatedAndCountedInTheManifest() throws Exception {
    DataCache cache = FixtureSources.write(tmp.resolve("cache"));
    Path out = tmp.resolve("out");
    Manifest manifest = new DataPreparer(cache, s -> {}).prepare(out, 11);
    Set<String> lm = new HashSet<>();
    int lines = 0;
    for (String f :
        List.of(PreparedData.LM_TRAIN, PreparedData.LM_VALID, PreparedData.LM_HELDOUT)) {
      for (String line : PreparedData.readLines(out.resolve(f))) {
        lm.add(TextKey.of(line));
        lines++;
      }
      assertEquals(
          PreparedData.readLines(out.resolve(f)).size(),
          manifest.json().getAsJsonObject("files").getAsJsonObject(f).get("documents").getAsInt());
    }
    assertEquals(lines, lm.size(), "LM documents are unique across splits");
    Set<String> reward = keys(out.resolve(PreparedData.TOX_REWARD_TRAIN));
    Set<String> evaluator = keys(out.resolve(PreparedData.TOX_EVALUATOR_TRAIN));
    Set<String> heldout = new HashSet<>();
    PreparedData.readLines(out.resolve(PreparedData.LM_HELDOUT))
        .forEach(t -> heldout.add(TextKey.of(t)));
    for (String k : reward) {
      assertFalse(heldout.contains(k), "held-out prompt text in reward data: " + k);
    }
    Set<String> natural = new HashSet<>(reward);
    natural.retainAll(evaluator);
    // templates may coincide by chance; natural texts never do
    for (LabelledText t : PreparedData.readLabelled(out.resolve(PreparedData.TOX_REWARD_TRAIN))) {
      if (!t.source().startsWith("template")) {
        assertFalse(natural.contains(TextKey.of(t.text())), "in both splits: " + t.text());
      }
    }
    List<LabelledText> rewardItems =
        PreparedData.readLabelled(out.resolve(PreparedData.TOX_REWARD_TRAIN));
    assertTrue(
        rewardItems.stream()
            .anyMatch(t -> t.source().equals("nlp-corpus:lexicon") && t.label() == 1));
    assertTrue(
        rewardItems.stream()
            .anyMatch(t -> t.source().startsWith("template:kind") && t.label() == 0));
  }

  private static Set<String> keys(Path file) throws Exception {
    Set<String> out = new HashSet<>();
    PreparedData.readLabelled(file).forEach(t -> out.add(TextKey.of(t.text())));
    return out;
  }
}
