package io.armguard.decode;

/**
 * The scores of a streamed reply so far, and what they cost.
 *
 * @param scores every prefix's scores, as {@link GuidedEngine#scorePrefixes} gives them
 * @param positionsRun token positions the reward model ran for them (BOS included); the rest came
 *     from the stream's cache
 */
public record StreamScores(PrefixScores scores, int positionsRun) {

  /** Scores computed from scratch: BOS + every token ran. */
  public static StreamScores uncached(PrefixScores scores) {
    return new StreamScores(scores, scores.tokenIds().length + 1);
  }
}
