package io.armguard.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link KvCache#concatRows} and {@link KvCache#dropLeading}, which a rolling batch uses when rows
 * join and leave: the shorter cache is left-padded with zeros, every real position keeps its keys
 * and values, and dropping leading columns keeps the rest.
 */
class KvCacheRowsTest {

  private static NDManager manager;
  private static CausalLm lm;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
    lm = TinyModels.lm(TinyModels.config(), manager, 9);
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  private static KvCache prefilled(NDManager m, int[][] prompts) {
    KvCache cache = new KvCache(m, lm.config().layerCount());
    NDList in = LeftPadding.pad(prompts, 0, m);
    lm.backbone().hidden(in.get(0), in.get(2), in.get(1), cache, false);
    return cache;
  }

  /** Layer {@code layer}'s values of row {@code row}, positions [from, to), flattened. */
  private static float[] values(KvCache c, int layer, int row, int from, int to) {
    NDArray v = c.layer(layer).get(1);
    return v.get(new NDIndex("{}, :, {}:{}, :", row, from, to)).toFloatArray();
  }

  private static float[] keys(KvCache c, int layer, int row, int from, int to) {
    NDArray k = c.layer(layer).get(0);
    return k.get(new NDIndex("{}, :, :, {}:{}", row, from, to)).toFloatArray();
  }

  @Test
  void concatRowsLeftPadsTheShorterCacheWithZeros() {
    try (NDManager m = manager.newSubManager();
        KvCache top = prefilled(m, new int[][] {{5, 6}, {7, 8}});
        KvCache bottom = prefilled(m, new int[][] {{9, 10, 11, 12, 13}});
        KvCache joined = KvCache.concatRows(top, bottom, m)) {
      assertEquals(3, joined.batchSize());
      assertEquals(5, joined.length());
      for (int layer = 0; layer < lm.config().layerCount(); layer++) {
        for (int row = 0; row < 2; row++) {
          assertArrayEquals(values(top, layer, row, 0, 2), values(joined, layer, row, 3, 5));
          assertArrayEquals(keys(top, layer, row, 0, 2), keys(joined, layer, row, 3, 5));
          float[] pad = values(joined, layer, row, 0, 3);
          assertArrayEquals(new float[pad.length], pad, "left padding is zeros");
        }
        assertArrayEquals(values(bottom, layer, 0, 0, 5), values(joined, layer, 2, 0, 5));
        assertArrayEquals(keys(bottom, layer, 0, 0, 5), keys(joined, layer, 2, 0, 5));
      }
      assertEquals(2, top.batchSize(), "inputs unchanged");
    }
  }

  @Test
  void dropLeadingKeepsTheLaterPositions() {
    try (NDManager m = manager.newSubManager();
        KvCache cache = prefilled(m, new int[][] {{1, 2, 3, 4}, {5, 6, 7, 8}})) {
      float[] kept = values(cache, 1, 1, 2, 4);
      float[] keptKeys = keys(cache, 0, 0, 2, 4);
      cache.dropLeading(2);
      assertEquals(2, cache.length());
      assertArrayEquals(kept, values(cache, 1, 1, 0, 2));
      assertArrayEquals(keptKeys, keys(cache, 0, 0, 0, 2));
      cache.dropLeading(0);
      assertEquals(2, cache.length());
      assertThrows(IllegalArgumentException.class, () -> cache.dropLeading(2));
    }
  }
}
