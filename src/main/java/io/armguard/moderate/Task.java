package io.armguard.moderate;

import io.armguard.decode.DecodeRequest;

/**
 * One validated unit of work for a {@link BatchModerator}: plain values, no Kafka types.
 *
 * @param kind GENERATE or MODERATE
 * @param id the request id
 * @param prompt GENERATE: text to continue; MODERATE: the user turn the response answers (context
 *     of a rewrite, never scored as part of the reply)
 * @param response MODERATE: the candidate response (non-null); GENERATE: null
 * @param decoding fully resolved decoding parameters (GENERATE: used as is; MODERATE: the template
 *     of every rewrite, whose prompt and reward context the moderator sets)
 * @param thresholds per-category thresholds with the request's own toxicity_threshold as the
 *     steering override
 */
public record Task(
    Kind kind,
    String id,
    String prompt,
    String response,
    DecodeRequest decoding,
    CategoryThresholds thresholds) {

  /** What the task asks for. Its Avro twin is {@code io.armguard.schema.Mode}. */
  public enum Kind {
    GENERATE,
    MODERATE
  }

  public Task {
    if (kind == Kind.MODERATE && response == null) {
      throw new IllegalArgumentException("MODERATE task " + id + " without a response");
    }
  }

  /** A GENERATE task. */
  public static Task generate(
      String id, String prompt, DecodeRequest decoding, CategoryThresholds t) {
    return new Task(Kind.GENERATE, id, prompt, null, decoding, t);
  }

  /** A MODERATE task. */
  public static Task moderate(
      String id, String prompt, String response, DecodeRequest decoding, CategoryThresholds t) {
    return new Task(Kind.MODERATE, id, prompt, response, decoding, t);
  }
}
