package io.armguard.bench;

/**
 * One measured configuration of {@code bench decode}, printed as one JSON line.
 *
 * @param strategy strategy name
 * @param batch sequences decoded together
 * @param topK candidates per step (what RAD's reward-model cost grows with)
 * @param newTokens tokens generated per sequence
 * @param promptTokens prompt length per sequence
 * @param tokensPerS generated tokens per second over prefill + all steps (median run)
 * @param msPerStep median one-token KV-cached step, whole batch (sampling included)
 * @param prefillMs median prefill (prompt pass + first token)
 * @param rewardMsPerStep median time the guidance (reward model) takes per step after the first,
 *     included in {@code msPerStep}; 0 for unguided decoding
 * @param recomputeMsPerStep median uncached forward over the mean decode context (what a step would
 *     cost without a KV cache); negative when not measured
 * @param runs timed runs
 * @param threads libtorch intra-op threads
 * @param device device name
 * @param model model id or random shape
 */
public record DecodeBenchResult(
    String strategy,
    int batch,
    int topK,
    int newTokens,
    int promptTokens,
    double tokensPerS,
    double msPerStep,
    double prefillMs,
    double rewardMsPerStep,
    double recomputeMsPerStep,
    int runs,
    int threads,
    String device,
    String model) {}
