package io.armguard.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.armguard.data.ReplyItem;
import io.armguard.model.EngineThreads;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.RewardModel;
import java.util.Arrays;
import java.util.List;

/**
 * Raw (uncalibrated) whole-reply scores of replies, each tokenised alone and cut to {@code
 * maxTokens}: the head outputs at the last real token. Inference only.
 */
public final class ReplyScores {
  private ReplyScores() {}

  /** [item][label] raw scores of the items' replies; an empty reply scores 0 everywhere. */
  static double[][] finalRaw(
      RewardModel model, List<ReplyItem> items, int maxTokens, NDManager root) {
    return finalRawOfTexts(model, items.stream().map(ReplyItem::reply).toList(), maxTokens, root);
  }

  /**
   * [text][label] raw scores of texts, each scored alone (BOS + text, cut to {@code maxTokens}); an
   * empty text scores 0 everywhere. Thread-safe if the model is (inference only).
   */
  public static double[][] finalRawOfTexts(
      RewardModel model, List<String> texts, int maxTokens, NDManager root) {
    TextTokenizer tokenizer = model.tokenizer();
    int labels = model.info().labelCount();
    int pad = tokenizer.padId() >= 0 ? tokenizer.padId() : Math.max(0, tokenizer.eosId());
    double[][] out = new double[texts.size()][labels];
    return EngineThreads.inferenceOnly(
        () -> {
          for (int start = 0; start < texts.size(); start += 32) {
            int n = Math.min(32, texts.size() - start);
            int[][] seqs = new int[n][];
            int t = 1;
            for (int i = 0; i < n; i++) {
              int[] ids = tokenizer.encode(texts.get(start + i));
              seqs[i] = Arrays.copyOf(ids, Math.min(ids.length, maxTokens));
              t = Math.max(t, seqs[i].length);
            }
            long[] x = new long[n * t];
            long[] mask = new long[n * t];
            for (int i = 0; i < n; i++) {
              for (int j = 0; j < t; j++) {
                boolean real = j < seqs[i].length;
                x[i * t + j] = real ? seqs[i][j] : pad;
                mask[i * t + j] = real ? 1 : 0;
              }
            }
            try (NDManager m = root.newSubManager()) {
              NDArray s =
                  model.prefixScores(
                      m.create(x, new Shape(n, t)), m.create(mask, new Shape(n, t)), false);
              float[] v = s.toFloatArray();
              for (int i = 0; i < n; i++) {
                int last = seqs[i].length - 1;
                if (last < 0) {
                  continue;
                }
                for (int j = 0; j < labels; j++) {
                  out[start + i][j] = v[(i * t + last) * labels + j];
                }
              }
            }
          }
          return out;
        });
  }
}
