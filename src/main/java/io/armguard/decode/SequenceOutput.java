package io.armguard.decode;

/**
 * What {@link BatchDecoder} produced for one row, as token ids.
 *
 * @param tokenIds generated ids, EOS excluded
 * @param tokenRewards guidance score r of each emitted token (zeros without guidance)
 * @param stoppedAtEos whether the row ended by sampling EOS (rather than its token budget)
 * @param stats guidance statistics ({@link GuidanceStats#NONE} without guidance)
 */
public record SequenceOutput(
    int[] tokenIds, float[] tokenRewards, boolean stoppedAtEos, GuidanceStats stats) {}
