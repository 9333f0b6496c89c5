package io.armguard.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/**
 * One step's choice for every row of a batch ({@link BatchDecoder}, {@link RollingBatch}): the LM's
 * top-k per row, the guidance's bonus, and each row's own seeded draw ({@link RowState}), so a
 * row's tokens do not depend on its batch mates. Stateless apart from its two ids; any thread.
 */
final class TokenChooser {

  private final int eosId;
  private final int vocab;

  /**
   * @param eosId the id that ends a sequence, or -1 for none
   * @param vocab the LM's vocabulary size (top-k never asks for more)
   */
  TokenChooser(int eosId, int vocab) {
    this.eosId = eosId;
    this.vocab = vocab;
  }

  /**
   * Top-k, guidance, sampling for every row; appends the chosen token to each live row. A row that
   * has not reached its {@link DecodeRequest#minNewTokens} takes its top k among the non-EOS
   * tokens, so EOS cannot win before then (guided or not).
   */
  void choose(NDArray logits, int kMax, RowState[] rows, Guidance guidance, NDManager step) {
    boolean suppress = eosId >= 0 && Arrays.stream(rows).anyMatch(RowState::mustNotEnd);
    int fetch = suppress ? Math.min(kMax + 1, vocab) : kMax;
    NDList top = logits.topK(fetch, -1, true, true);
    float[] values = top.get(0).toFloatArray();
    long[] ids = top.get(1).toLongArray();
    NDArray candidates = top.get(1);
    if (suppress) {
      float[] v = new float[rows.length * kMax];
      long[][] c = new long[rows.length][kMax];
      for (int b = 0; b < rows.length; b++) {
        int j = 0;
        for (int i = 0; i < fetch && j < kMax; i++) {
          long id = ids[b * fetch + i];
          if (id == eosId && rows[b].mustNotEnd() && fetch > kMax) {
            continue;
          }
          v[b * kMax + j] = values[b * fetch + i];
          c[b][j++] = id;
        }
      }
      values = v;
      ids = Arrays.stream(c).flatMapToLong(Arrays::stream).toArray();
      candidates = step.create(c);
    }
    float[] rewards = guidance == null ? null : guidance.score(candidates, step).toFloatArray();
    long[] chosenIds = new long[rows.length];
    long[] chosenIndex = new long[rows.length];
    for (int b = 0; b < rows.length; b++) {
      int index = rows[b].done ? 0 : rows[b].choose(values, rewards, b * kMax, kMax);
      chosenIndex[b] = index;
      chosenIds[b] = rows[b].done ? Math.max(eosId, 0) : ids[b * kMax + index];
      if (!rows[b].done) {
        rows[b].append((int) chosenIds[b], rewards == null ? 0f : rewards[b * kMax + index], eosId);
      }
    }
    if (guidance != null) {
      guidance.advance(step.create(chosenIds), step.create(chosenIndex), step);
    }
  }
}
