package io.armguard.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * KV-cached prefill + one-token steps on a left-padded batch of unequal prompts give the logits of
 * a full uncached forward of each sequence alone. Tolerance: 1e-5 absolute on logits of magnitude
 * ~0.5 (measured: <= 1.2e-7; float32, the only differences are summation order and masked padding
 * columns).
 */
class KvCacheConsistencyTest {

  static final float TOLERANCE = 1e-5f;
  private static NDManager manager;
  private static CausalLm lm;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
    lm = TinyModels.lm(TinyModels.config(), manager, 7);
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  @Test
  void cachedStepsMatchFullRecomputationForLeftPaddedBatch() {
    int[][] prompts = {{5, 17, 42, 99, 3, 250, 11}, {8}, {120, 121, 122, 7}};
    int[][] next = {{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}, {11, 12, 13, 14, 15}};
    int width = 7;
    try (NDManager batch = manager.newSubManager();
        KvCache cache = new KvCache(batch, lm.config().layerCount())) {
      NDList in = LeftPadding.pad(prompts, 0, batch);
      NDArray logits =
          lm.lastLogits(lm.backbone().hidden(in.get(0), in.get(2), in.get(1), cache, false));
      assertRowsMatch(logits, prompts, new int[3][0]);
      for (int s = 0; s < next[0].length; s++) {
        long[][] ids = new long[3][1];
        long[][] pos = new long[3][1];
        long[][] mask = new long[3][width + s + 1];
        for (int b = 0; b < 3; b++) {
          ids[b][0] = next[b][s];
          pos[b][0] = prompts[b].length + s;
          Arrays.fill(mask[b], width - prompts[b].length, width + s + 1, 1L);
        }
        try (NDManager step = batch.newSubManager()) {
          NDArray h =
              lm.backbone()
                  .hidden(step.create(ids), step.create(pos), step.create(mask), cache, false);
          assertEquals(width + s + 1, cache.length());
          int[][] generated = new int[3][];
          for (int b = 0; b < 3; b++) {
            generated[b] = Arrays.copyOf(next[b], s + 1);
          }
          assertRowsMatch(lm.lastLogits(h), prompts, generated);
        }
      }
    }
  }

  @Test
  void selectCopiesRows() {
    int[][] prompts = {{5, 6, 7}, {9, 10}};
    try (NDManager batch = manager.newSubManager();
        KvCache cache = new KvCache(batch, lm.config().layerCount())) {
      NDList in = LeftPadding.pad(prompts, 0, batch);
      lm.backbone().hidden(in.get(0), in.get(2), in.get(1), cache, false);
      try (KvCache picked = cache.select(batch.create(new long[] {1, 1, 0}))) {
        assertEquals(3, picked.batchSize());
        assertEquals(cache.length(), picked.length());
        float[] row1 = cache.layer(1).get(1).get(1).toFloatArray();
        assertArrayEquals(row1, picked.layer(1).get(1).get(0).toFloatArray());
        assertArrayEquals(row1, picked.layer(1).get(1).get(1).toFloatArray());
        assertArrayEquals(
            cache.layer(0).get(0).get(0).toFloatArray(),
            picked.layer(0).get(0).get(2).toFloatArray());
      }
    }
  }

  @Test
  void inferenceHeadGivesTheTiedHeadsLogits() {
    CausalLm fast = lm.forInference();
    try (NDManager m = manager.newSubManager()) {
      NDArray h = m.randomNormal(new ai.djl.ndarray.types.Shape(3, 2, lm.config().hiddenSize()));
      float diff =
          TinyModels.maxAbsDiff(lm.logits(h).toFloatArray(), fast.logits(h).toFloatArray());
      assertTrue(diff < TOLERANCE, "max |diff| " + diff);
      assertEquals(
          new ai.djl.ndarray.types.Shape(3, lm.config().vocabSize()),
          fast.lastLogits(h).getShape());
    }
  }

  @Test
  void positionIdsOfLeftPaddedMask() {
    try (NDManager m = manager.newSubManager()) {
      NDArray mask = m.create(new long[][] {{0, 0, 1, 1}, {1, 1, 1, 1}});
      assertArrayEquals(
          new long[] {0, 0, 0, 1, 0, 1, 2, 3}, LeftPadding.positionIds(mask).toLongArray());
    }
  }

  private static void assertRowsMatch(NDArray batchLogits, int[][] prompts, int[][] generated) {
    float[] flat = batchLogits.toFloatArray();
    int v = lm.config().vocabSize();
    for (int b = 0; b < prompts.length; b++) {
      int[] seq = new int[prompts[b].length + generated[b].length];
      System.arraycopy(prompts[b], 0, seq, 0, prompts[b].length);
      System.arraycopy(generated[b], 0, seq, prompts[b].length, generated[b].length);
      float[] expected = TinyModels.nextLogits(lm, seq, manager);
      float[] actual = Arrays.copyOfRange(flat, b * v, (b + 1) * v);
      float diff = TinyModels.maxAbsDiff(expected, actual);
      System.out.printf(
          "row %d step %d maxdiff %.3g maxabs %.3g%n",
          b, generated[b].length, diff, TinyModels.maxAbsDiff(expected, new float[v]));
      assertTrue(
          diff <= TOLERANCE, "row " + b + " step " + generated[b].length + " max |diff| " + diff);
    }
  }
}
