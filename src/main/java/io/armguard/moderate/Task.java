package io.armguard.moderate;

import io.armguard.decode.DecodeRequest;

/**
 * One validated unit of work for a {@link BatchModerator}: plain values, no Kafka types.
 *
 * @param kind GENERATE or MODERATE
 * @param id the request id
 * @param prompt GENERATE: text to continue; MODERATE: the user turn the response answers
 * @param response MODERATE: the candidate response (non-null); GENERATE: null
 * @param decoding fully resolved decoding parameters (GENERATE: used as is; MODERATE: the template
 *     of every rewrite, whose prompt the moderator replaces with prompt + kept prefix)
 * @param threshold toxicity in [0,1] at or above which text is flagged
 */
public record Task(
    Kind kind, String id, String prompt, String response, DecodeRequest decoding, float threshold) {

  /** What the task asks for. */
  public enum Kind {
    GENERATE,
    MODERATE
  }

  public Task {
    if (kind == Kind.MODERATE && response == null) {
      throw new IllegalArgumentException("MODERATE task " + id + " without a response");
    }
  }
}
