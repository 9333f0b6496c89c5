package io.armguard.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Left-padded batches of token sequences of different lengths, as a causal LM needs them: every
 * sequence ends at the last column, so the next token of every row is predicted at the same
 * position. Padding columns have mask 0 and position id 0; real tokens count positions from 0.
 */
public final class LeftPadding {

  private LeftPadding() {}

  /** Position ids for an attention mask: {@code cumsum(mask) - 1}, clamped at 0 (both int64). */
  public static NDArray positionIds(NDArray attentionMask) {
    return attentionMask.cumSum(1).sub(1L).maximum(0L);
  }

  /**
   * Pads {@code sequences} on the left to the longest one.
   *
   * @param padId id written into padding columns (any valid id: padding is masked out)
   * @return {inputIds, attentionMask, positionIds}, each int64 {@code [B, maxLen]} in {@code
   *     manager}
   */
  public static NDList pad(int[][] sequences, int padId, NDManager manager) {
    int width = 0;
    for (int[] s : sequences) {
      width = Math.max(width, s.length);
    }
    long[][] ids = new long[sequences.length][width];
    long[][] mask = new long[sequences.length][width];
    long[][] pos = new long[sequences.length][width];
    for (int b = 0; b < sequences.length; b++) {
      int offset = width - sequences[b].length;
      for (int j = 0; j < width; j++) {
        boolean real = j >= offset;
        ids[b][j] = real ? sequences[b][j - offset] : padId;
        mask[b][j] = real ? 1 : 0;
        pos[b][j] = real ? j - offset : 0;
      }
    }
    return new NDList(manager.create(ids), manager.create(mask), manager.create(pos));
  }
}
