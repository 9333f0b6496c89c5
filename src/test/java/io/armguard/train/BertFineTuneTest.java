package io.armguard.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.armguard.data.PreparedData;
import io.armguard.model.BertBackbone;
import io.armguard.model.BertConfig;
import io.armguard.model.ModelDirectory;
import io.armguard.model.SafetensorsDType;
import io.armguard.model.SafetensorsFile;
import io.armguard.model.TextTokenizer;
import io.armguard.model.onnx.MiniLmFixture;
import io.armguard.reward.RadRewardModel;
import io.armguard.reward.RewardKind;
import io.armguard.reward.RewardModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning a BERT-layout backbone through the reward trainer, with its embeddings and lowest
 * layer frozen: the loss on the toy data falls, the frozen tensors stay as they were, and a killed
 * and resumed run ends bit-identical to an uninterrupted one.
 */
class BertFineTuneTest {
  @TempDir Path tmp;

  /** A small random BERT with MiniLM's WordPiece vocabulary (d 16, 2 layers), written to dir. */
  static Path tinyBert(Path dir) throws Exception {
    try (NDManager m = NDManager.newBaseManager();
        TextTokenizer tok =
            TextTokenizer.load(MiniLmFixture.importedDir().resolve(ModelDirectory.TOKENIZER))) {
      BertConfig c = new BertConfig(30522, 16, 2, 2, 32, 64, 2, 1e-12f, "gelu", 0, 101, 102, false);
      ModelDirectory.save(
          dir, BertBackbone.randomlyInitialized(c, m, 3), Map.of(), tok, SafetensorsDType.F32);
    }
    return dir;
  }

  private RewardTrainingOptions.Builder options(Path data, Path init, Path out, int steps) {
    return RewardTrainingOptions.builder(RewardKind.RAD)
        .data(data)
        .out(out)
        .initFrom(init)
        .layers(2)
        .maxTokens(16)
        .batch(8)
        .steps(steps)
        .learningRate(1e-2f)
        .warmupSteps(2)
        .clipNorm(2.0)
        .seed(7)
        .checkpointEvery(3)
        .command("test")
        .freezing(new Freezing(true, 1));
  }

  @Test
  void frozenFineTuneLowersTheLossAndResumesBitIdentically() throws Exception {
    Path data = RewardTrainerResumeTest.tinyData(tmp.resolve("data"));
    Path init = tinyBert(tmp.resolve("tiny-bert"));
    try (NDManager root = NDManager.newBaseManager()) {
      new RewardTrainer(options(data, init, tmp.resolve("one"), 1).build(), s -> {}).train(root);
      new RewardTrainer(options(data, init, tmp.resolve("a"), 12).build(), s -> {}).train(root);
      RewardTrainer first =
          new RewardTrainer(
              options(data, init, tmp.resolve("b"), 12).interruptAfter(7).build(), s -> {});
      assertThrows(InterruptedTraining.class, () -> first.train(root));
      List<String> log = new ArrayList<>();
      new RewardTrainer(options(data, init, tmp.resolve("b"), 12).build(), log::add).train(root);
      assertTrue(log.contains("resuming from step 6"), log.toString());

      double afterOne = fullDataLoss(tmp.resolve("one"), data, root);
      double afterTwelve = fullDataLoss(tmp.resolve("a"), data, root);
      assertTrue(afterTwelve < 0.8 * afterOne, afterOne + " -> " + afterTwelve);
    }
    assertArrayEquals(
        java.nio.file.Files.readAllBytes(tmp.resolve("a/model.safetensors")),
        java.nio.file.Files.readAllBytes(tmp.resolve("b/model.safetensors")));
    SafetensorsFile start = SafetensorsFile.open(init.resolve(ModelDirectory.WEIGHTS));
    SafetensorsFile end = SafetensorsFile.open(tmp.resolve("a/model.safetensors"));
    // the result is stored F16: frozen tensors equal the start up to F16 rounding
    assertClose(start, end, "embeddings.position_embeddings.weight", true);
    assertClose(start, end, "encoder.layer.0.output.dense.weight", true);
    assertClose(start, end, "encoder.layer.1.output.dense.weight", false);
    assertTrue(BertConfig.read(tmp.resolve("a/config.json")).isDecoder());
  }

  private static void assertClose(SafetensorsFile a, SafetensorsFile b, String name, boolean same)
      throws Exception {
    float[] x = a.readFloats(name);
    float[] y = b.readFloats(name);
    float maxDiff = 0;
    for (int i = 0; i < x.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(x[i] - y[i]));
    }
    if (same) {
      assertTrue(maxDiff < 1e-4f, name + " moved by " + maxDiff);
    } else {
      assertFalse(maxDiff < 1e-3f, name + " did not train");
    }
  }

  private static double fullDataLoss(Path modelDir, Path data, NDManager root) throws Exception {
    try (NDManager m = root.newSubManager()) {
      RadRewardModel rad = (RadRewardModel) RewardModels.load(modelDir, m);
      LabelledBatches all =
          new LabelledBatches(
              PreparedData.readLabelled(data.resolve(PreparedData.TOX_REWARD_TRAIN)),
              rad.tokenizer(),
              16,
              7);
      int[] idx = new int[all.size()];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = i;
      }
      NDList batch = all.batch(idx, m);
      double loss =
          TrainingLosses.cumulativeWeightedMse(
                  rad.scores(batch.get(0), batch.get(1), false), batch.get(2), batch.get(1))
              .getFloat();
      rad.tokenizer().close();
      assertEquals(24, all.size());
      return loss;
    }
  }
}
