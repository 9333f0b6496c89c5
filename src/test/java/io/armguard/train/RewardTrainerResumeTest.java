package io.armguard.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.armguard.data.PreparedData;
import io.armguard.reward.RewardKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A killed and resumed run ends with exactly the weights of an uninterrupted one. */
class RewardTrainerResumeTest {
  @TempDir Path tmp;

  static Path tinyData(Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    String[] bad = {
      "you stupid idiot", "shut up you moron", "what a pathetic loser", "go away jerk"
    };
    String[] good = {
      "you kind friend", "thank you so much", "what a lovely day", "welcome back pal"
    };
    for (int i = 0; i < 12; i++) {
      lines.add("{\"text\":\"" + bad[i % 4] + " " + i + "\",\"label\":1,\"source\":\"t\"}");
      lines.add("{\"text\":\"" + good[i % 4] + " " + i + "\",\"label\":0,\"source\":\"t\"}");
    }
    for (String f :
        List.of(PreparedData.TOX_REWARD_TRAIN, PreparedData.TOX_VALID, PreparedData.GOLD)) {
      Files.createDirectories(dir.resolve(f).getParent());
      Files.write(dir.resolve(f), lines);
    }
    return dir;
  }

  static RewardTrainingOptions.Builder builder(
      RewardKind kind,
      RewardTrainingOptions.Regime regime,
      Path data,
      Path out,
      Path teacher,
      int steps) {
    return RewardTrainingOptions.builder(kind)
        .regime(regime)
        .data(data)
        .out(out)
        .teacher(teacher)
        .layers(1)
        .dModel(16)
        .heads(2)
        .context(32)
        .merges(100)
        .maxTokens(16)
        .batch(8)
        .steps(steps)
        .learningRate(3e-3f)
        .warmupSteps(2)
        .clipNorm(2.0)
        .regulariserWeight(1.0f)
        .seed(7)
        .checkpointEvery(3)
        .command("test");
  }

  @Test
  void resumedArmRunMatchesUninterruptedRun() throws Exception {
    Path data = tinyData(tmp.resolve("data"));
    try (NDManager root = NDManager.newBaseManager()) {
      RewardTrainingOptions straight =
          builder(
                  RewardKind.ARM,
                  RewardTrainingOptions.Regime.RESPONSES,
                  data,
                  tmp.resolve("a"),
                  null,
                  6)
              .build();
      JsonObject facts = new RewardTrainer(straight, s -> {}).train(root);
      assertTrue(facts.getAsJsonObject("gold").has("auc"));
      assertFalse(Files.exists(tmp.resolve("a/checkpoint")), "finished runs drop their checkpoint");

      RewardTrainingOptions.Builder interrupted =
          builder(
              RewardKind.ARM,
              RewardTrainingOptions.Regime.RESPONSES,
              data,
              tmp.resolve("b"),
              null,
              6);
      // last checkpoint at step 3: step 4 is lost and redone
      RewardTrainer first = new RewardTrainer(interrupted.interruptAfter(4).build(), s -> {});
      assertThrows(InterruptedTraining.class, () -> first.train(root));
      assertTrue(Files.exists(tmp.resolve("b/checkpoint/state.json")));
      List<String> log = new ArrayList<>();
      new RewardTrainer(interrupted.interruptAfter(Long.MAX_VALUE).build(), log::add).train(root);
      assertTrue(log.contains("resuming from step 3"), log.toString());
    }
    assertArrayEquals(
        Files.readAllBytes(tmp.resolve("a/model.safetensors")),
        Files.readAllBytes(tmp.resolve("b/model.safetensors")));
  }
}
