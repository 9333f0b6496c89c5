package io.armguard.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * armguard's own meters (Kafka Streams' are bound separately): batch size, queue wait, decode time,
 * generated tokens and one counter per action. Thread-safe.
 */
public final class PipelineMetrics {

  private final MeterRegistry registry;
  private final DistributionSummary batchSize;
  private final Timer queueWait;
  private final Timer decode;
  private final Counter tokens;

  public PipelineMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.batchSize =
        DistributionSummary.builder("armguard.batch.size")
            .description("Requests per decoded micro-batch")
            .register(registry);
    this.queueWait =
        Timer.builder("armguard.queue.wait")
            .description("Time a request waited in the micro-batch buffer")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    this.decode =
        Timer.builder("armguard.decode")
            .description("Wall time of one micro-batch's decode and scoring")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    this.tokens =
        Counter.builder("armguard.tokens.generated")
            .description("Tokens generated (rate = tokens/s)")
            .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void batch(int size, long decodeMs) {
    batchSize.record(size);
    decode.record(Duration.ofMillis(decodeMs));
  }

  public void queueWait(long ms) {
    queueWait.record(Duration.ofMillis(Math.max(0, ms)));
  }

  public void tokens(int n) {
    tokens.increment(n);
  }

  /** A request record went to the dead-letter topic; {@code reason}: the exception's class. */
  public void deadLetter(String reason) {
    registry.counter("armguard.dead.letters", "reason", reason).increment();
  }

  /** A request record was held (not dead-lettered) because the schema registry was unreachable. */
  public void registryHold() {
    registry.counter("armguard.registry.holds").increment();
  }

  /** A request id seen again within the idempotency window: dropped, not answered twice. */
  public void duplicateRequest() {
    registry.counter("armguard.duplicate.requests").increment();
  }

  public void action(String action) {
    registry.counter("armguard.completions", "action", action).increment();
  }
}
