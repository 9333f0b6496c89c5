package io.armguard.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.armguard.data.ReplyItem;
import io.armguard.data.ReplySet;
import io.armguard.model.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The replies of a {@link ReplySet}, tokenised alone (the reward model scores the reply, never the
 * prompt) and cut to {@code maxTokens}, with per-prefix targets ({@link PrefixTargets}), served as
 * right-padded batches. Batch {@code s} depends only on (seed, s): a resumed run sees the same
 * batches. Each epoch's order groups texts of similar length into batches (less padding), then
 * shuffles the batches.
 */
public final class ReplyBatches {
  private final List<ReplyItem> items = new ArrayList<>();
  private final List<int[]> ids = new ArrayList<>();
  private final List<PrefixTargets> targets = new ArrayList<>();
  private final int labels;
  private final int padId;
  private final long seed;

  public ReplyBatches(ReplySet set, TextTokenizer tokenizer, int maxTokens, int padId, long seed) {
    this.padId = padId;
    this.seed = seed;
    int labelCount = 0;
    for (ReplyItem item : set.items()) {
      TextTokenizer.Encoded e = tokenizer.encodeWithOffsets(item.reply());
      if (e.ids().length == 0) {
        continue;
      }
      int n = Math.min(e.ids().length, maxTokens);
      items.add(item);
      ids.add(Arrays.copyOf(e.ids(), n));
      PrefixTargets p = PrefixTargets.of(item, Arrays.copyOf(e.endChars(), n));
      targets.add(p);
      labelCount = item.labelVector().length;
    }
    this.labels = labelCount;
  }

  public int size() {
    return ids.size();
  }

  public ReplyItem item(int i) {
    return items.get(i);
  }

  public int labels() {
    return labels;
  }

  public long tokens() {
    return ids.stream().mapToLong(a -> a.length).sum();
  }

  /** Indices of training batch {@code step} (1-based) of {@code batchSize} items. */
  public int[] batchIndices(long step, int batchSize) {
    int perEpoch = Math.max(1, size() / batchSize);
    long epoch = (step - 1) / perEpoch;
    int within = (int) ((step - 1) % perEpoch);
    Random r = new Random(seed * 7919L + epoch);
    List<Integer> order = new ArrayList<>();
    for (int k = 0; k < size(); k++) {
      order.add(k);
    }
    Collections.shuffle(order, r);
    // sort chunks of 8 batches by length so a batch holds similar lengths
    int chunk = batchSize * 8;
    for (int s = 0; s < order.size(); s += chunk) {
      order
          .subList(s, Math.min(order.size(), s + chunk))
          .sort((a, b) -> Integer.compare(ids.get(a).length, ids.get(b).length));
    }
    List<Integer> batches = new ArrayList<>();
    for (int b = 0; b < perEpoch; b++) {
      batches.add(b);
    }
    Collections.shuffle(batches, r);
    int start = batches.get(within) * batchSize;
    int[] out = new int[batchSize];
    for (int i = 0; i < batchSize; i++) {
      out[i] = order.get(start + i);
    }
    return out;
  }

  /**
   * {ids int64 [B, T], mask int64 [B, T], targets float [B, T, L], weights float [B, T]}, right
   * padded to the batch's longest reply.
   */
  public NDList batch(int[] indices, NDManager manager) {
    int t = 0;
    for (int i : indices) {
      t = Math.max(t, ids.get(i).length);
    }
    int b = indices.length;
    long[] x = new long[b * t];
    long[] mask = new long[b * t];
    float[] y = new float[b * t * labels];
    float[] w = new float[b * t];
    for (int r = 0; r < b; r++) {
      int[] seq = ids.get(indices[r]);
      PrefixTargets p = targets.get(indices[r]);
      for (int j = 0; j < t; j++) {
        boolean real = j < seq.length;
        x[r * t + j] = real ? seq[j] : padId;
        mask[r * t + j] = real ? 1 : 0;
        if (real) {
          w[r * t + j] = p.weights()[j];
          System.arraycopy(p.targets(), j * labels, y, (r * t + j) * labels, labels);
        }
      }
    }
    return new NDList(
        manager.create(x, new Shape(b, t)),
        manager.create(mask, new Shape(b, t)),
        manager.create(y, new Shape(b, t, labels)),
        manager.create(w, new Shape(b, t)));
  }

  /** Whole-reply labels per item, [size][L]. */
  public float[][] replyLabels() {
    float[][] out = new float[size()][];
    for (int i = 0; i < size(); i++) {
      out[i] = items.get(i).labelVector();
    }
    return out;
  }
}
