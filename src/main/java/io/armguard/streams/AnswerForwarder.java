package io.armguard.streams;

import io.armguard.decode.GuidedEngine;
import io.armguard.schema.BufferedRequest;
import io.armguard.schema.Timings;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Turns one decoded request into its completion and audit record, forwards both and counts them
 * (the per-request metrics; batch metrics are the decoder's). Used on the stream thread by both
 * micro-batch processors; stateless.
 */
final class AnswerForwarder {

  private final OutcomeRecords outcomes;
  private final PipelineMetrics metrics;

  AnswerForwarder(OutcomeRecords outcomes, PipelineMetrics metrics) {
    this.outcomes = outcomes;
    this.metrics = metrics;
  }

  /**
   * Forwards {@code a}'s completion and audit record, stamped {@code now}; a failed request is
   * answered REJECTED with stage {@code decode}.
   *
   * @param engine names the models in the audit record
   */
  void forward(
      ProcessorContext<String, Object> context, ScheduledAnswer a, GuidedEngine engine, long now) {
    BufferedRequest b = a.buffered();
    long waited = Math.max(0, a.batch().startMs() - b.getEnqueuedAt().toEpochMilli());
    OutcomeRecords.Outcome o;
    if (a.verdict() == null) {
      o = outcomes.rejected(b.getRequest(), b.getSource(), "decode", a.failure(), now);
      metrics.action("REJECTED");
    } else {
      Timings timings = new Timings(waited, a.batch().size(), a.batch().decodeMs());
      o =
          outcomes.decided(
              b.getRequest(), b.getSource(), a.task(), a.verdict(), timings, engine, now);
      metrics.action(a.verdict().action().name());
      metrics.tokens(a.verdict().newTokens());
    }
    metrics.queueWait(waited);
    ArmguardTopology.forward(context, o, now);
  }
}
