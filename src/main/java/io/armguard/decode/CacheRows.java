package io.armguard.decode;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Bookkeeping of a KV cache over a left-padded batch (the LM's in a {@link RollingBatch}, a reward
 * model's own in ARM and RAD guidance): how many padding columns each sequence has and how many
 * columns the cache holds, so every one-token step gets the right attention mask and position ids
 * (the reference code feeds pads unmasked; docs/algorithm.md section 7). Rows may leave ({@link
 * #retain}) and join ({@link #concat}); {@link #dropCommonPadding} says how many leading columns no
 * row needs any more.
 */
final class CacheRows {

  private int[] pads;
  private int length;

  /**
   * @param sequences each row's real tokens as the reward model's prefill sees them
   */
  CacheRows(int[][] sequences) {
    int width = 0;
    for (int[] s : sequences) {
      width = Math.max(width, s.length);
    }
    pads = new int[sequences.length];
    for (int b = 0; b < sequences.length; b++) {
      pads[b] = width - sequences[b].length;
    }
    length = width;
  }

  /** Columns the cache holds. */
  int length() {
    return length;
  }

  /** Sequences tracked. */
  int rows() {
    return pads.length;
  }

  /**
   * Position ids [n * repeat, 1] and attention mask [n * repeat, length + 1] (int64) for one new
   * token per row, each sequence's row repeated {@code repeat} times consecutively (RAD's k
   * copies).
   */
  NDList nextToken(int repeat, NDManager manager) {
    int n = pads.length * repeat;
    long[][] pos = new long[n][1];
    long[][] mask = new long[n][length + 1];
    for (int r = 0; r < n; r++) {
      int pad = pads[r / repeat];
      pos[r][0] = length - pad;
      java.util.Arrays.fill(mask[r], pad, length + 1, 1L);
    }
    return new NDList(manager.create(pos), manager.create(mask));
  }

  /** Records one more column (a token for every row). */
  void grow() {
    length++;
  }

  /** Keeps only the given sequences, in this order. */
  void retain(long[] rows) {
    int[] kept = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      kept[i] = pads[(int) rows[i]];
    }
    pads = kept;
  }

  /**
   * The rows of this batch followed by those of {@code other}, both left-padded to the wider of the
   * two: the narrower side's rows get {@code |length - other.length|} more padding columns (the
   * caller pads its cache the same way, {@link io.armguard.model.KvCache#concatRows}).
   */
  CacheRows concat(CacheRows other) {
    int width = Math.max(length, other.length);
    int[] joined = new int[pads.length + other.pads.length];
    for (int b = 0; b < pads.length; b++) {
      joined[b] = pads[b] + width - length;
    }
    for (int b = 0; b < other.pads.length; b++) {
      joined[pads.length + b] = other.pads[b] + width - other.length;
    }
    return new CacheRows(joined, width);
  }

  /**
   * Removes the leading columns that are padding in every row and returns how many (the caller
   * drops as many from its cache, {@link io.armguard.model.KvCache#dropLeading}); 0 when a row
   * starts at column 0 or when no column would be left.
   */
  int dropCommonPadding() {
    int common = Integer.MAX_VALUE;
    for (int p : pads) {
      common = Math.min(common, p);
    }
    if (pads.length == 0 || common == 0 || common >= length) {
      return 0;
    }
    for (int b = 0; b < pads.length; b++) {
      pads[b] -= common;
    }
    length -= common;
    return common;
  }

  private CacheRows(int[] pads, int length) {
    this.pads = pads;
    this.length = length;
  }

  /** Real tokens of each row of a left-padded [B, T] batch (ids and mask flattened row-major). */
  static int[][] realTokens(long[] ids, long[] mask, int rows) {
    int width = ids.length / rows;
    int[][] out = new int[rows][];
    for (int b = 0; b < rows; b++) {
      int n = 0;
      for (int t = 0; t < width; t++) {
        n += mask[b * width + t] != 0 ? 1 : 0;
      }
      out[b] = new int[n];
      int j = 0;
      for (int t = 0; t < width; t++) {
        if (mask[b * width + t] != 0) {
          out[b][j++] = (int) ids[b * width + t];
        }
      }
    }
    return out;
  }
}
