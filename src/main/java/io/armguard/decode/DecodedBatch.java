package io.armguard.decode;

import java.util.List;

/**
 * The outputs of one {@link BatchDecoder#decode} call in row order, with its timings.
 *
 * @param outputs one per request, in request order
 * @param prefillNanos wall time of the prompt pass (including sampling the first token)
 * @param stepNanos wall time of each one-token step after prefill
 */
public record DecodedBatch(List<SequenceOutput> outputs, long prefillNanos, long[] stepNanos) {

  /** Total generated tokens (EOS excluded). */
  public long generatedTokens() {
    return outputs.stream().mapToLong(o -> o.tokenIds().length).sum();
  }
}
