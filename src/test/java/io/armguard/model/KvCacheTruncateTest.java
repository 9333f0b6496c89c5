package io.armguard.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class KvCacheTruncateTest {

  @Test
  void truncateKeepsTheFirstPositionsAndFreesTheRest() {
    try (NDManager root = NDManager.newBaseManager();
        KvCache cache = new KvCache(root, 1)) {
      // 1 row, 1 head, head dim 2, 3 positions; keys transposed [B, H, hd, T]
      cache.append(
          0,
          root.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(1, 1, 2, 3)),
          root.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(1, 1, 3, 2)));
      cache.advance(3);
      cache.truncate(2);
      assertEquals(2, cache.length());
      assertArrayEquals(new float[] {1, 2, 4, 5}, cache.layer(0).get(0).toFloatArray());
      assertArrayEquals(new float[] {1, 2, 3, 4}, cache.layer(0).get(1).toFloatArray());
      assertThrows(IllegalArgumentException.class, () -> cache.truncate(3));
      assertThrows(IllegalArgumentException.class, () -> cache.truncate(0));
    }
  }
}
