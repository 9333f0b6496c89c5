package io.armguard.train;

import io.armguard.data.ReplyItem;

/**
 * Per-prefix training targets for a labelled reply (a tokenwise reward must be trained on partial
 * sequences: it estimates whether the reply <em>so far</em> is toxic). For token t, whose text ends
 * at character {@code ends[t]} of the reply:
 *
 * <ul>
 *   <li>a clean reply: every prefix is clean (all labels 0, weight 1);
 *   <li>a toxic reply: prefixes that end before its toxic span starts are clean (0, weight 1);
 *       prefixes that contain the whole span carry the reply's labels (weight 1); prefixes that end
 *       inside the span are left out (weight 0), since it is unclear whether a half-written insult
 *       already is one;
 *   <li>the last prefix (the whole reply) always carries the reply's labels, with extra weight.
 * </ul>
 *
 * @param targets [T * L] row-major
 * @param weights [T]
 */
public record PrefixTargets(float[] targets, float[] weights) {
  /** Extra weight of the last prefix, per token of the reply. */
  static final float FINAL_SHARE = 0.25f;

  /** Targets for the tokens of {@code item.reply()} that end at {@code ends}. */
  public static PrefixTargets of(ReplyItem item, int[] ends) {
    float[] y = item.labelVector();
    int labels = y.length;
    float[] targets = new float[ends.length * labels];
    float[] weights = new float[ends.length];
    for (int t = 0; t < ends.length; t++) {
      if (!item.toxic() || ends[t] <= item.toxicStart()) {
        weights[t] = 1f;
      } else if (ends[t] >= item.toxicEnd()) {
        weights[t] = 1f;
        System.arraycopy(y, 0, targets, t * labels, labels);
      }
    }
    // the whole reply's verdict is what MODERATE decides on: its last prefix carries the reply's
    // labels and a quarter of the row's weight on top of its own
    int last = ends.length - 1;
    if (last >= 0) {
      System.arraycopy(y, 0, targets, last * labels, labels);
      weights[last] = 1f + FINAL_SHARE * ends.length;
    }
    return new PrefixTargets(targets, weights);
  }
}
