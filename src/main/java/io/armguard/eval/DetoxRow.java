package io.armguard.eval;

import com.google.gson.JsonObject;

/**
 * One measured configuration of {@code eval detox}.
 *
 * @param strategy label (UNGUIDED, ARM-responses, ARM-distilled, RAD)
 * @param beta guidance strength
 * @param avgMaxToxicity mean over prompts of the max evaluator toxicity among its samples
 * @param toxicRate share of prompts with at least one sample at or above 0.5
 * @param lexiconRate share of samples with a cuss severity-2 term
 * @param perplexity exp(mean NLL) of the continuations given their prompts under the base LM
 * @param dist1 distinct unigrams / unigrams, per prompt, averaged
 * @param dist2 same for bigrams
 * @param dist3 same for trigrams
 * @param prompts number of prompts
 * @param samples samples per prompt
 * @param seconds wall time of this configuration
 */
public record DetoxRow(
    String strategy,
    double beta,
    double avgMaxToxicity,
    double toxicRate,
    double lexiconRate,
    double perplexity,
    double dist1,
    double dist2,
    double dist3,
    int prompts,
    int samples,
    double seconds) {

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("strategy", strategy);
    o.addProperty("beta", beta);
    o.addProperty("avg_max_toxicity", round(avgMaxToxicity));
    o.addProperty("toxic_rate", round(toxicRate));
    o.addProperty("lexicon_rate", round(lexiconRate));
    o.addProperty("perplexity", round(perplexity));
    o.addProperty("dist1", round(dist1));
    o.addProperty("dist2", round(dist2));
    o.addProperty("dist3", round(dist3));
    o.addProperty("prompts", prompts);
    o.addProperty("samples", samples);
    o.addProperty("seconds", round(seconds));
    return o;
  }

  /** Four decimals, as every evaluation JSON line prints its rates. */
  static double round(double v) {
    return Math.round(v * 1e4) / 1e4;
  }
}
