package io.armguard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.armguard.reward.RewardKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The identity a checkpoint's {@code state.json} stores under {@code options} is compared as a
 * string on resume: these are the exact strings the trainers wrote before the options got builders,
 * so checkpoints made by earlier versions keep resuming.
 */
class TrainingIdentityTest {
  private static final Path OUT = Path.of("x");

  @Test
  void languageModelIdentityIsUnchanged() {
    LmTrainingOptions.Builder b = LmTrainingOptions.builder().out(OUT);
    assertEquals(
        "{\"layers\":4,\"d_model\":192,\"heads\":4,\"context\":128,\"merges\":8000,\"batch\":16,"
            + "\"steps\":1200,\"learning_rate\":0.001,\"warmup_steps\":100,\"clip_norm\":1.0,"
            + "\"weight_decay\":0.01,\"seed\":1234}",
        b.build().identity().toString());
    assertEquals(
        "{\"layers\":4,\"d_model\":192,\"heads\":4,\"context\":128,\"merges\":8000,\"batch\":16,"
            + "\"steps\":1200,\"learning_rate\":0.001,\"warmup_steps\":100,\"clip_norm\":1.0,"
            + "\"weight_decay\":0.01,\"seed\":1234,\"init_from\":\"models/minilm\","
            + "\"chat_replies\":\"data/replies\"}",
        b.initFrom(Path.of("models/minilm"))
            .chatReplies(Path.of("data/replies"))
            .build()
            .identity()
            .toString());
  }

  @Test
  void rewardModelIdentityIsUnchanged() {
    assertEquals(
        "{\"kind\":\"ARM\",\"regime\":\"DISTILL\",\"teacher\":\"models/rad\","
            + "\"init_from\":\"models/lm\",\"layers\":2,\"max_tokens\":64,\"batch\":32,"
            + "\"steps\":600,\"learning_rate\":3.0E-4,\"warmup_steps\":50,\"clip_norm\":2.0,"
            + "\"weight_decay\":0.01,\"regulariser_weight\":1.0,\"seed\":1234}",
        RewardTrainingOptions.builder(RewardKind.ARM)
            .regime(RewardTrainingOptions.Regime.DISTILL)
            .teacher(Path.of("models/rad"))
            .initFrom(Path.of("models/lm"))
            .out(OUT)
            .build()
            .identity()
            .toString());
    assertEquals(
        "{\"kind\":\"RAD\",\"regime\":\"-\",\"teacher\":\"-\",\"init_from\":\"-\",\"layers\":2,"
            + "\"max_tokens\":64,\"batch\":32,\"steps\":600,\"learning_rate\":3.0E-4,"
            + "\"warmup_steps\":50,\"clip_norm\":2.0,\"weight_decay\":0.01,"
            + "\"regulariser_weight\":0.0,\"seed\":1234,\"freeze_embeddings\":true,"
            + "\"freeze_lowest_layers\":1}",
        RewardTrainingOptions.builder(RewardKind.RAD)
            .regulariserWeight(0f)
            .freezing(new Freezing(true, 1))
            .out(OUT)
            .build()
            .identity()
            .toString());
  }

  /**
   * The default validation became {@code val,rsel} with the fourth reply round, and {@code wry}
   * joined the held-out batches with the fifth, {@code csel} and {@code ctest} (mention versus use)
   * with the sixth (all on purpose).
   */
  @Test
  void replyRewardModelIdentityIsUnchanged() {
    assertEquals(
        "{\"kind\":\"ARM\",\"replies\":\"data/replies\",\"valid_batches\":\"val,rsel,csel\","
            + "\"held_out_batches\":\"test,pval,rval,wry,ctest\",\"judge_share\":0.2,\"init_from\":\"models/minilm\","
            + "\"layers\":6,\"frozen_layers\":0,\"max_tokens\":96,\"batch\":32,\"steps\":600,"
            + "\"learning_rate\":1.0E-4,\"warmup_steps\":60,\"clip_norm\":1.0,"
            + "\"weight_decay\":0.01,\"regulariser_weight\":1.0,\"seed\":1234}",
        ReplyRewardOptions.builder()
            .out(OUT)
            .initFrom(Path.of("models/minilm"))
            .build()
            .identity()
            .toString());
  }

  @Test
  void candidateDistillationOnlyAppendsItsSettings() {
    String plain =
        ReplyRewardOptions.builder()
            .out(OUT)
            .initFrom(Path.of("models/minilm"))
            .build()
            .identity()
            .toString();
    String distilled =
        ReplyRewardOptions.builder()
            .out(OUT)
            .initFrom(Path.of("models/minilm"))
            .distillTeacher(Path.of("models/rad"))
            .distillLm(Path.of("models/lm"))
            .build()
            .identity()
            .toString();
    assertEquals(
        plain.substring(0, plain.length() - 1)
            + ",\"distill_teacher\":\"models/rad\",\"distill_lm\":\"models/lm\","
            + "\"distill_k\":20,\"distill_positions\":2,\"distill_batch\":8,"
            + "\"distill_weight\":1.0}",
        distilled);
  }
}
