package io.armguard.decode;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Bookkeeping of a reward model's own KV cache over a left-padded batch: how many padding columns
 * each sequence has and how many columns the cache holds, so every one-token step gets the right
 * attention mask and position ids (the reference code feeds pads unmasked; docs/algorithm.md
 * section 7).
 */
final class RewardCacheRows {

  private int[] pads;
  private int length;

  /**
   * @param sequences each row's real tokens as the reward model's prefill sees them
   */
  RewardCacheRows(int[][] sequences) {
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
