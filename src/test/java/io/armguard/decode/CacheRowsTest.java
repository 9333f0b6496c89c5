package io.armguard.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** Padding bookkeeping of a rolling batch: rows joining, leaving, and shared padding dropped. */
class CacheRowsTest {

  @Test
  void joiningPadsTheNarrowerSideAndLeavingDropsSharedPadding() {
    try (NDManager m = NDManager.newBaseManager()) {
      CacheRows running = new CacheRows(new int[][] {{1, 2, 3, 4}, {5}}); // pads 0, 3; width 4
      CacheRows fresh = new CacheRows(new int[][] {{6, 7}}); // pad 0; width 2
      CacheRows joined = running.concat(fresh);
      assertEquals(3, joined.rows());
      assertEquals(4, joined.length());
      NDList next = joined.nextToken(1, m);
      // position ids: real tokens so far per row; mask: the row's real columns plus the new one
      assertArrayEquals(new long[] {4, 1, 2}, next.get(0).toLongArray());
      long[] mask = next.get(1).toLongArray();
      assertArrayEquals(new long[] {1, 1, 1, 1, 1}, java.util.Arrays.copyOfRange(mask, 0, 5));
      assertArrayEquals(new long[] {0, 0, 0, 1, 1}, java.util.Arrays.copyOfRange(mask, 5, 10));
      assertArrayEquals(new long[] {0, 0, 1, 1, 1}, java.util.Arrays.copyOfRange(mask, 10, 15));

      joined.retain(new long[] {1, 2}); // the widest row leaves: pads 3 and 2 remain
      assertEquals(2, joined.dropCommonPadding());
      assertEquals(2, joined.length());
      assertArrayEquals(new long[] {1, 2}, joined.nextToken(1, m).get(0).toLongArray());
      assertEquals(0, joined.dropCommonPadding(), "a row now starts at column 0");
    }
  }

  @Test
  void aWiderNewcomerPadsTheRunningRows() {
    CacheRows joined =
        new CacheRows(new int[][] {{1}}).concat(new CacheRows(new int[][] {{2, 3, 4}}));
    assertEquals(3, joined.length());
    try (NDManager m = NDManager.newBaseManager()) {
      assertArrayEquals(new long[] {1, 3}, joined.nextToken(1, m).get(0).toLongArray());
    }
  }
}
