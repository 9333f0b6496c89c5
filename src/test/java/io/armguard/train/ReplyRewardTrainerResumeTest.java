package io.armguard.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.armguard.data.ReplySplit;
import io.armguard.model.GptBackbone;
import io.armguard.model.GptConfig;
import io.armguard.model.ModelDirectory;
import io.armguard.model.SafetensorsDType;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.RewardKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train replies} through the shared skeleton: on a tiny synthetic reply set and tiny random
 * GPT-2 and BERT backbones, a killed and resumed run ends with exactly the weights (and the
 * calibration) of an uninterrupted one, and a checkpoint made with other settings is refused.
 */
class ReplyRewardTrainerResumeTest {
  @TempDir Path tmp;

  /** Batches {@code a} (training), {@code val} and {@code test}, half toxic with a marked span. */
  private Path tinyReplySet() throws Exception {
    Path dir = tmp.resolve("replies");
    Files.createDirectories(dir);
    String[] insults = {"you stupid idiot", "shut up moron", "what a pathetic loser"};
    String[] kind = {"thanks so much", "what a lovely day", "happy to help"};
    for (String batch : List.of("a", "val", "test")) {
      List<String> lines = new ArrayList<>();
      int n = batch.equals("a") ? 16 : 6;
      for (int i = 0; i < n; i++) {
        String id = batch + "-" + i;
        lines.add(
            i % 2 == 0
                ? "{\"id\":\"%s\",\"prompt\":\"hi\",\"reply\":\"sure, %s\",\"toxicity\":1,\"categories\":[\"insult\"],\"span\":\"%s\"}"
                    .formatted(id, insults[i % 3], insults[i % 3])
                : "{\"id\":\"%s\",\"prompt\":\"hi\",\"reply\":\"sure, %s\",\"toxicity\":0,\"categories\":[]}"
                    .formatted(id, kind[i % 3]));
      }
      Files.write(dir.resolve("batch-" + batch + ".jsonl"), lines);
    }
    return dir;
  }

  private Path tinyGpt() throws Exception {
    Path dir = tmp.resolve("tiny-gpt");
    try (NDManager m = NDManager.newBaseManager();
        TextTokenizer tok = TextTokenizer.gpt2(100)) {
      GptConfig c = GptConfig.of(tok.vocabSize(), 32, 16, 2, 2);
      ModelDirectory.save(
          dir, GptBackbone.randomlyInitialized(c, m, 3), Map.of(), tok, SafetensorsDType.F32);
    }
    return dir;
  }

  private ReplyRewardOptions.Builder options(
      RewardKind kind, Path replies, Path init, Path out, int frozenLayers, int steps) {
    return ReplyRewardOptions.builder()
        .kind(kind)
        .replies(replies)
        .split(
            new ReplySplit(List.of("val"), List.of("test"), 0.2)) // the tiny set has no rsel, pval
        .initFrom(init)
        .data(tmp.resolve("no-prepared-data")) // no gold set: not scored
        .out(out)
        .layers(2)
        .frozenLayers(frozenLayers)
        .maxTokens(16)
        .batch(4)
        .steps(steps)
        .learningRate(5e-3f)
        .warmupSteps(2)
        .regulariserWeight(kind == RewardKind.ARM ? 1.0f : 0f)
        .seed(11)
        .checkpointEvery(3)
        .command("test");
  }

  private JsonObject assertResumesBitIdentically(RewardKind kind, Path init, int frozenLayers)
      throws Exception {
    return assertResumesBitIdentically(kind, init, frozenLayers, tinyReplySet(), b -> b);
  }

  /** Returns the uninterrupted run's facts. */
  private JsonObject assertResumesBitIdentically(
      RewardKind kind,
      Path init,
      int frozenLayers,
      Path replies,
      UnaryOperator<ReplyRewardOptions.Builder> extra)
      throws Exception {
    Path a = tmp.resolve(kind + "-a");
    Path b = tmp.resolve(kind + "-b");
    JsonObject facts;
    try (NDManager root = NDManager.newBaseManager()) {
      facts =
          new ReplyRewardTrainer(
                  extra.apply(options(kind, replies, init, a, frozenLayers, 7)).build(), s -> {})
              .train(root);
      assertTrue(facts.getAsJsonObject("valid").size() > 0, facts.toString());
      assertTrue(facts.getAsJsonObject("history").has("step_6_loss"), facts.toString());
      assertFalse(Files.exists(a.resolve("checkpoint")), "finished runs drop their checkpoint");

      ReplyRewardTrainer killed =
          new ReplyRewardTrainer(
              // last checkpoint at step 3: steps 4 and 5 are lost and redone
              extra
                  .apply(options(kind, replies, init, b, frozenLayers, 7))
                  .interruptAfter(5)
                  .build(),
              s -> {});
      assertThrows(InterruptedTraining.class, () -> killed.train(root));
      assertTrue(Files.exists(b.resolve("checkpoint/state.json")));

      ReplyRewardTrainer otherSettings =
          new ReplyRewardTrainer(
              extra.apply(options(kind, replies, init, b, frozenLayers, 8)).build(), s -> {});
      IllegalStateException refused =
          assertThrows(IllegalStateException.class, () -> otherSettings.train(root));
      assertTrue(refused.getMessage().contains("--restart"), refused.getMessage());

      List<String> log = new ArrayList<>();
      new ReplyRewardTrainer(
              extra.apply(options(kind, replies, init, b, frozenLayers, 7)).build(), log::add)
          .train(root);
      assertTrue(log.contains("resuming from step 3"), log.toString());
    }
    assertArrayEquals(
        Files.readAllBytes(a.resolve(ModelDirectory.WEIGHTS)),
        Files.readAllBytes(b.resolve(ModelDirectory.WEIGHTS)));
    // the Platt calibration is fitted on the final weights: equal weights, equal armguard.json
    assertEquals(
        Files.readString(a.resolve("armguard.json")), Files.readString(b.resolve("armguard.json")));
    return facts;
  }

  @Test
  void armOnATinyGptResumesBitIdentically() throws Exception {
    assertResumesBitIdentically(RewardKind.ARM, tinyGpt(), 0);
  }

  @Test
  void radOnATinyBertWithAFrozenLayerResumesBitIdentically() throws Exception {
    assertResumesBitIdentically(
        RewardKind.RAD, BertFineTuneTest.tinyBert(tmp.resolve("tiny-bert")), 1);
  }

  /** A RAD teacher on the tiny GPT (sigmoid output, the GPT's tokenizer), trained a few steps. */
  private Path tinyTeacher(Path replies, Path init) throws Exception {
    Path dir = tmp.resolve("teacher");
    try (NDManager root = NDManager.newBaseManager()) {
      new ReplyRewardTrainer(options(RewardKind.RAD, replies, init, dir, 0, 4).build(), s -> {})
          .train(root);
    }
    return dir;
  }

  private static UnaryOperator<ReplyRewardOptions.Builder> distilling(
      Path teacher, Path lm, float weight) {
    return b ->
        b.distillTeacher(teacher)
            .distillLm(lm)
            .distillK(5)
            .distillPositions(2)
            .distillBatch(3)
            .distillWeight(weight);
  }

  @Test
  void armWithCandidateDistillationResumesBitIdenticallyAndReportsTheAgreement() throws Exception {
    Path replies = tinyReplySet();
    Path gpt = tinyGpt();
    Path teacher = tinyTeacher(replies, gpt);
    JsonObject facts =
        assertResumesBitIdentically(
            RewardKind.ARM, gpt, 0, replies, distilling(teacher, gpt, 1.0f));
    JsonObject valid = facts.getAsJsonObject("valid");
    double rho = valid.get("candidate_spearman").getAsDouble();
    assertTrue(rho >= -1 && rho <= 1, valid.toString());
    assertTrue(valid.get("candidate_sets").getAsInt() > 0, valid.toString());
    assertEquals(5, facts.getAsJsonObject("settings").get("distill_k").getAsInt());
    assertTrue(
        facts
            .getAsJsonObject("candidate_distillation")
            .get("teacher")
            .getAsString()
            .startsWith("teacher@"),
        facts.toString());
    JsonObject history = facts.getAsJsonObject("history");
    for (String key :
        List.of("step_3_distill_mse", "step_6_valid_candidate_spearman", "step_7_distill_mse")) {
      assertTrue(history.has(key), key + " in " + history);
    }
    assertTrue(Files.readString(tmp.resolve("ARM-a/README.md")).contains("Candidate distillation"));
  }

  @Test
  void corpusDistillationResumesBitIdenticallyAndIsRecordedOnTheCard() throws Exception {
    Path replies = tinyReplySet();
    Path gpt = tinyGpt();
    Path teacher = tinyTeacher(replies, gpt);
    Path text = tmp.resolve("corpus.txt");
    Files.writeString(text, "you are such a\nthe weather today is\nwhat a stupid\n");
    Path json = tmp.resolve("corpus.jsonl");
    Files.writeString(json, "{\"text\":\"shut up and\",\"label\":1}\n{\"text\":\"thanks for\"}\n");
    JsonObject facts =
        assertResumesBitIdentically(
            RewardKind.ARM,
            gpt,
            0,
            replies,
            b -> distilling(teacher, gpt, 1.0f).apply(b).distillCorpus(List.of(text, json)));
    assertEquals(
        text + "," + json,
        facts.getAsJsonObject("settings").get("distill_corpus").getAsString(),
        facts.toString());
  }

  @Test
  void aDistillationWeightOfZeroLeavesTheWeightsOfARunWithout() throws Exception {
    Path replies = tinyReplySet();
    Path gpt = tinyGpt();
    Path teacher = tinyTeacher(replies, gpt);
    Path without = tmp.resolve("without");
    Path zero = tmp.resolve("zero");
    try (NDManager root = NDManager.newBaseManager()) {
      new ReplyRewardTrainer(options(RewardKind.ARM, replies, gpt, without, 0, 4).build(), s -> {})
          .train(root);
      new ReplyRewardTrainer(
              distilling(teacher, gpt, 0f)
                  .apply(options(RewardKind.ARM, replies, gpt, zero, 0, 4))
                  .build(),
              s -> {})
          .train(root);
    }
    // the distillation draws, the LM and the teacher touch nothing the old loss depends on
    assertArrayEquals(
        Files.readAllBytes(without.resolve(ModelDirectory.WEIGHTS)),
        Files.readAllBytes(zero.resolve(ModelDirectory.WEIGHTS)));
  }

  @Test
  void distillationIsRefusedForRadWithoutAnLmAndWithAnotherVocabulary() throws Exception {
    Path replies = tinyReplySet();
    Path gpt = tinyGpt();
    Path out = tmp.resolve("refused");
    IllegalArgumentException rad =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                distilling(gpt, gpt, 1f)
                    .apply(options(RewardKind.RAD, replies, gpt, out, 0, 2))
                    .build());
    assertTrue(rad.getMessage().contains("ARM only"), rad.getMessage());
    IllegalArgumentException half =
        assertThrows(
            IllegalArgumentException.class,
            () -> options(RewardKind.ARM, replies, gpt, out, 0, 2).distillTeacher(gpt).build());
    assertTrue(half.getMessage().contains("--distill-lm"), half.getMessage());

    Path teacher = tinyTeacher(replies, gpt);
    Path otherLm = tmp.resolve("other-lm");
    try (NDManager m = NDManager.newBaseManager();
        TextTokenizer tok = TextTokenizer.gpt2(50)) {
      ModelDirectory.save(
          otherLm,
          GptBackbone.randomlyInitialized(GptConfig.of(tok.vocabSize(), 32, 16, 2, 2), m, 3),
          Map.of(),
          tok,
          SafetensorsDType.F32);
    }
    try (NDManager root = NDManager.newBaseManager()) {
      ReplyRewardTrainer mismatched =
          new ReplyRewardTrainer(
              distilling(teacher, otherLm, 1f)
                  .apply(options(RewardKind.ARM, replies, gpt, out, 0, 2))
                  .build(),
              s -> {});
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> mismatched.train(root));
      assertTrue(
          e.getMessage().contains("--distill-lm " + otherLm)
              && e.getMessage().contains("vocab_size"),
          e.getMessage());
      ReplyRewardTrainer armTeacher =
          new ReplyRewardTrainer(
              distilling(gpt, gpt, 1f)
                  .apply(options(RewardKind.ARM, replies, gpt, out, 0, 2))
                  .build(),
              s -> {});
      // the tiny GPT directory has no armguard.json: not a reward model at all
      assertThrows(java.io.IOException.class, () -> armTeacher.train(root));
    }
  }

  @Test
  void aJudgeTrainsOnTheJudgeShareOnlyAndLoadsAsAJudge() throws Exception {
    Path replies = tinyReplySet();
    Path out = tmp.resolve("judge");
    io.armguard.data.ReplySet all = io.armguard.data.ReplySet.load(replies);
    int judgeShare = new ReplySplit(List.of("val"), List.of("test"), 0.5).judgeTraining(all).size();
    int rewardShare =
        new ReplySplit(List.of("val"), List.of("test"), 0.5).rewardTraining(all).size();
    assertTrue(judgeShare > 0 && rewardShare > 0, judgeShare + " / " + rewardShare);
    List<String> log = new ArrayList<>();
    try (NDManager root = NDManager.newBaseManager()) {
      JsonObject facts =
          new ReplyRewardTrainer(
                  options(RewardKind.RAD, replies, tinyGpt(), out, 0, 4)
                      .split(new ReplySplit(List.of("val"), List.of("test"), 0.5))
                      .trainOnJudgeShare(true)
                      .build(),
                  log::add)
              .train(root);
      assertTrue(
          log.stream().anyMatch(l -> l.startsWith("training replies " + judgeShare + " ")),
          log.toString());
      assertTrue(
          facts.get("data").getAsString().contains("the judge's share only"), facts.toString());
      assertEquals("judge_share", facts.getAsJsonObject("settings").get("train_on").getAsString());
    }
    try (io.armguard.eval.TextJudge judge = io.armguard.eval.Judges.load(out)) {
      double[] s = judge.score(List.of("sure, you stupid idiot", "sure, happy to help", ""));
      for (double v : s) {
        assertTrue(v >= 0 && v <= 1, java.util.Arrays.toString(s));
      }
      assertEquals(0.0, s[2]);
      assertEquals(0.5, judge.threshold());
    }
    java.io.IOException neither =
        assertThrows(java.io.IOException.class, () -> io.armguard.eval.Judges.load(tmp));
    assertTrue(neither.getMessage().contains("is not a judge"), neither.getMessage());
  }
}
