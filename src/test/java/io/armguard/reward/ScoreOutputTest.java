package io.armguard.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreOutputTest {
  @TempDir Path dir;

  @Test
  void clampAndCalibratedSigmoidAgreeBetweenArraysAndScalars() {
    ScoreOutput sig = ScoreOutput.sigmoid(new float[] {2f, 1f}, new float[] {-1f, 0.5f});
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray raw = m.create(new float[] {0f, 0f, 1f, -3f}, new Shape(2, 2));
      float[] s = sig.apply(raw).toFloatArray();
      assertEquals(sig.apply(0, 0), s[0], 1e-6);
      assertEquals(1 / (1 + Math.exp(-0.5)), s[1], 1e-6);
      assertEquals(sig.apply(1, 0), s[2], 1e-6);
      assertEquals(sig.apply(-3, 1), s[3], 1e-6);
      assertArrayEquals(
          new float[] {s[1], s[3]}, sig.apply(m.create(new float[] {0f, -3f}), 1).toFloatArray());
      assertArrayEquals(
          new float[] {0f, 0f, 1f, 0f}, ScoreOutput.CLAMP.apply(raw).toFloatArray(), 0f);
      assertEquals(1.0, ScoreOutput.CLAMP.apply(7.0, 0));
    }
  }

  @Test
  void outputRoundTripsThroughArmguardJsonAndIsAbsentForClamp() throws IOException {
    ScoreOutput sig = ScoreOutput.sigmoid(new float[] {1.5f, 1f}, new float[] {0.25f, -2f});
    RewardModelInfo info =
        RewardModelInfo.detox(RewardKind.ARM, List.of("toxicity", "insult"), "minilm")
            .withOutput(sig);
    info.write(dir);
    assertEquals(info, RewardModelInfo.read(dir));
    RewardModelInfo plain = RewardModelInfo.detox(RewardKind.RAD, List.of("toxicity"), "");
    plain.write(dir);
    assertEquals(ScoreOutput.CLAMP, RewardModelInfo.read(dir).output());
  }
}
