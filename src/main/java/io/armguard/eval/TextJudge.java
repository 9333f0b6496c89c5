package io.armguard.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * An independent toxicity judge as the evaluations use it ({@code eval detox}, {@code eval
 * moderation}, {@code eval reward}, {@code eval prompts}): a calibrated toxicity probability per
 * text and the threshold that decides. Never used for steering. Load one with {@link Judges#load}.
 * Scoring calls are made from one thread at a time; {@link #close} once, after the last.
 */
public interface TextJudge extends AutoCloseable {

  /** Calibrated {@code toxicity} probability of each text, in order. */
  double[] score(List<String> texts, IntConsumer progress);

  /** As {@link #score(List, IntConsumer)} without progress. */
  default double[] score(List<String> texts) {
    return score(texts, n -> {});
  }

  /**
   * Every label's calibrated probability for each text, in order ({@code toxicity} among them); a
   * judge without category heads returns {@code toxicity} alone.
   */
  default List<Map<String, Float>> scoreLabels(List<String> texts, IntConsumer progress) {
    double[] s = score(texts, progress);
    List<Map<String, Float>> out = new ArrayList<>(s.length);
    for (double v : s) {
      out.add(Map.of(io.armguard.data.ReplyLabels.TOXICITY, (float) v));
    }
    return out;
  }

  /** A text is toxic to the judge when its probability is at least this. */
  double threshold();

  /** Frees native memory, if the judge holds any. */
  @Override
  default void close() {}
}
