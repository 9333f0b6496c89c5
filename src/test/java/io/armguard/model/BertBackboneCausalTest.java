package io.armguard.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * BERT in causal mode ({@code is_decoder: true}) keeps the GPT-2 path's guarantees: KV-cached steps
 * on a left-padded batch equal a full causal recomputation of each sequence alone, and a row's
 * states do not depend on its batch mates. Tolerance 1e-5 on hidden states of magnitude ~1
 * (post-LayerNorm), float32 summation order only.
 */
class BertBackboneCausalTest {

  static final float TOLERANCE = 1e-5f;
  private static NDManager manager;
  private static BertBackbone bert;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
    BertConfig c = new BertConfig(300, 32, 2, 4, 64, 64, 2, 1e-12f, "gelu", 0, 1, 2, true);
    bert = BertBackbone.randomlyInitialized(c, manager, 11);
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  @Test
  void cachedStepsMatchFullRecomputationForLeftPaddedBatch() {
    int[][] prompts = {{5, 17, 42, 99, 3, 250, 11}, {8}, {120, 121, 122, 7}};
    int[][] next = {{1, 2, 3, 4}, {6, 7, 8, 9}, {11, 12, 13, 14}};
    int width = 7;
    try (NDManager batch = manager.newSubManager();
        KvCache cache = new KvCache(batch, bert.config().layerCount())) {
      NDList in = LeftPadding.pad(prompts, 0, batch);
      NDArray h = bert.hidden(in.get(0), in.get(2), in.get(1), cache, false);
      for (int b = 0; b < 3; b++) {
        assertClose(alone(prompts[b]), last(h, b), "prefill row " + b);
      }
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
          NDArray hs =
              bert.hidden(step.create(ids), step.create(pos), step.create(mask), cache, false);
          assertEquals(width + s + 1, cache.length());
          for (int b = 0; b < 3; b++) {
            int[] seq = concat(prompts[b], Arrays.copyOf(next[b], s + 1));
            assertClose(alone(seq), last(hs, b), "step " + s + " row " + b);
          }
        }
      }
    }
  }

  @Test
  void rowDoesNotDependOnBatchMates() {
    int[] row = {9, 8, 7, 6, 5};
    try (NDManager m = manager.newSubManager()) {
      NDList a = LeftPadding.pad(new int[][] {row, {1, 2}}, 0, m);
      NDList b = LeftPadding.pad(new int[][] {row, {200, 201, 202, 203, 204, 205, 206, 207}}, 0, m);
      NDArray ha = bert.hidden(a.get(0), a.get(2), a.get(1), null, false);
      NDArray hb = bert.hidden(b.get(0), b.get(2), b.get(1), null, false);
      // every position of the row, not only the last
      float[] ra = ha.get(new NDIndex("0")).toFloatArray();
      float[] rb = hb.get(new NDIndex("0, 3:")).toFloatArray();
      assertTrue(TinyModels.maxAbsDiff(ra, rb) < TOLERANCE);
    }
  }

  @Test
  void causalPrefixStatesIgnoreLaterTokens() {
    try (NDManager m = manager.newSubManager()) {
      NDList a = LeftPadding.pad(new int[][] {{4, 5, 6, 7}}, 0, m);
      NDList b = LeftPadding.pad(new int[][] {{4, 5, 6, 99}}, 0, m);
      float[] ha =
          bert.hidden(a.get(0), a.get(2), a.get(1), null, false)
              .get(new NDIndex("0, :3"))
              .toFloatArray();
      float[] hb =
          bert.hidden(b.get(0), b.get(2), b.get(1), null, false)
              .get(new NDIndex("0, :3"))
              .toFloatArray();
      assertTrue(TinyModels.maxAbsDiff(ha, hb) < TOLERANCE);
      // bidirectional encoding of the same prefix does see the changed last token
      float[] ea =
          bert.encode(a.get(0), null, a.get(1), false).get(new NDIndex("0, :3")).toFloatArray();
      float[] eb =
          bert.encode(b.get(0), null, b.get(1), false).get(new NDIndex("0, :3")).toFloatArray();
      assertTrue(TinyModels.maxAbsDiff(ea, eb) > 1e-3f);
    }
  }

  @Test
  void bidirectionalBackboneRefusesACacheAndACausalLm() {
    BertBackbone bi = new BertBackbone(bert.config().withAttention(AttentionMode.BIDIRECTIONAL));
    bi.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32);
    try (NDManager m = manager.newSubManager();
        KvCache cache = new KvCache(m, 2)) {
      NDList in = LeftPadding.pad(new int[][] {{3, 4}}, 0, m);
      assertThrows(
          IllegalStateException.class,
          () -> bi.hidden(in.get(0), in.get(2), in.get(1), cache, false));
    }
    assertThrows(IllegalArgumentException.class, () -> new CausalLm(bi));
  }

  /** Last hidden state of one sequence, by a full causal forward without cache. */
  private static float[] alone(int[] tokens) {
    try (NDManager m = manager.newSubManager()) {
      NDList in = LeftPadding.pad(new int[][] {tokens}, 0, m);
      NDArray h = bert.hidden(in.get(0), in.get(2), in.get(1), null, false);
      return h.get(new NDIndex("0, -1")).toFloatArray();
    }
  }

  private static float[] last(NDArray h, int row) {
    return h.get(new NDIndex("{}, -1", row)).toFloatArray();
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    float d = TinyModels.maxAbsDiff(expected, actual);
    assertTrue(d < TOLERANCE, what + ": max diff " + d);
  }
}
