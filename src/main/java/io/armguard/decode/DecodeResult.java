package io.armguard.decode;

/**
 * The outcome of decoding one {@link DecodeRequest}.
 *
 * @param id the request's id
 * @param text the generated continuation (decoded from {@code tokenIds}, without the prompt)
 * @param tokenIds generated token ids, EOS excluded
 * @param tokenRewards steering label's clamped score r in [0,1] of every emitted token (the reward
 *     model's per-prefix score of prompt + tokens up to and including this one); all zero for
 *     UNGUIDED when no reward model is loaded
 * @param promptTokens number of prompt tokens
 * @param stats guidance statistics ({@link GuidanceStats#NONE} for UNGUIDED)
 */
public record DecodeResult(
    String id,
    String text,
    int[] tokenIds,
    float[] tokenRewards,
    int promptTokens,
    GuidanceStats stats) {}
