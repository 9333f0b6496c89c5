package io.armguard.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.armguard.data.LabelledText;
import io.armguard.model.TextTokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Tokenised labelled texts (cut to {@code maxTokens}) served as right-padded batches in a fresh
 * seeded order every epoch. Batch {@code s} depends only on (seed, s), so a resumed run sees the
 * same batches. Texts that tokenise to nothing are dropped.
 */
public final class LabelledBatches {
  private final List<int[]> ids = new ArrayList<>();
  private final List<Float> labels = new ArrayList<>();
  private final int padId;
  private final long seed;
  private final Map<Long, List<Integer>> orders = new HashMap<>();

  public LabelledBatches(
      List<LabelledText> texts, TextTokenizer tokenizer, int maxTokens, long seed) {
    this.padId = tokenizer.eosId();
    this.seed = seed;
    for (LabelledText t : texts) {
      int[] encoded = tokenizer.encode(t.text());
      if (encoded.length == 0) {
        continue;
      }
      ids.add(encoded.length > maxTokens ? java.util.Arrays.copyOf(encoded, maxTokens) : encoded);
      labels.add((float) t.label());
    }
  }

  public int size() {
    return ids.size();
  }

  public long tokens() {
    return ids.stream().mapToLong(a -> a.length).sum();
  }

  /** Indices of batch {@code step} (1-based) of {@code batchSize} items. */
  public int[] batchIndices(long step, int batchSize) {
    int[] out = new int[batchSize];
    for (int i = 0; i < batchSize; i++) {
      long position = (step - 1) * batchSize + i;
      long epoch = position / size();
      List<Integer> order =
          orders.computeIfAbsent(
              epoch,
              e -> {
                List<Integer> o = new ArrayList<>();
                for (int k = 0; k < size(); k++) {
                  o.add(k);
                }
                Collections.shuffle(o, new Random(seed * 7919L + e));
                return o;
              });
      out[i] = order.get((int) (position % size()));
      orders.keySet().removeIf(e -> e < epoch - 1);
    }
    return out;
  }

  /** {ids int64 [B, T], mask int64 [B, T], labels float [B, 1]} right-padded to the longest. */
  public NDList batch(int[] indices, NDManager manager) {
    int t = 0;
    for (int i : indices) {
      t = Math.max(t, ids.get(i).length);
    }
    long[] x = new long[indices.length * t];
    long[] mask = new long[indices.length * t];
    float[] y = new float[indices.length];
    for (int b = 0; b < indices.length; b++) {
      int[] seq = ids.get(indices[b]);
      for (int j = 0; j < t; j++) {
        x[b * t + j] = j < seq.length ? seq[j] : padId;
        mask[b * t + j] = j < seq.length ? 1 : 0;
      }
      y[b] = labels.get(indices[b]);
    }
    return new NDList(
        manager.create(x, new Shape(indices.length, t)),
        manager.create(mask, new Shape(indices.length, t)),
        manager.create(y, new Shape(indices.length, 1)));
  }

  /** Label of item {@code i}. */
  public int label(int i) {
    return Math.round(labels.get(i));
  }

  /** Number of real tokens in a batch. */
  static long realTokens(NDArray mask) {
    return mask.sum().toType(DataType.INT64, false).getLong();
  }
}
