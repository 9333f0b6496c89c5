package io.armguard.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * armguard's own meters (Kafka Streams' are bound separately): batch size, queue wait, decode time,
 * generated tokens, one counter per action and one per dead-letter reason. Thread-safe.
 *
 * <p>The latency timers and the batch size are published as Prometheus histograms (cumulative
 * {@code _bucket} series with fixed bounds) rather than client-side percentiles: buckets add up
 * across instances and stream threads, so {@code histogram_quantile} over {@code sum by (le)} gives
 * the fleet's percentiles, which averaging per-instance p99s cannot.
 */
public final class PipelineMetrics {

  /**
   * Bucket bounds of the latency timers: a request's queue wait and a batch's decode range from a
   * millisecond (a short batch on a fast device) to about a minute (a long CPU rewrite of a full
   * batch, bounded by {@code transaction.timeout.ms}); three bounds per decade.
   */
  static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2_500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60)
  };

  /** Bucket bounds of the batch size: powers of two up to well past any sensible batch.size. */
  static final double[] BATCH_SIZE_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256};

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
            .serviceLevelObjectives(BATCH_SIZE_BUCKETS)
            .register(registry);
    this.queueWait =
        Timer.builder("armguard.queue.wait")
            .description("Time a request waited in the micro-batch buffer")
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry);
    this.decode =
        Timer.builder("armguard.decode")
            .description("Wall time of one micro-batch's decode and scoring")
            .serviceLevelObjectives(LATENCY_BUCKETS)
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

  /**
   * Publishes {@code scheduler}'s queue depth (requests offered by tasks and not yet in a batch) as
   * the gauge {@code armguard_scheduler_queued_requests}; held strongly, read at each scrape.
   */
  public void schedulerQueue(DecodeScheduler scheduler) {
    Gauge.builder("armguard.scheduler.queued.requests", scheduler, DecodeScheduler::queued)
        .description("Requests waiting at the instance decode scheduler for a batch")
        .strongReference(true)
        .register(registry);
  }

  public void queueWait(long ms) {
    queueWait.record(Duration.ofMillis(Math.max(0, ms)));
  }

  public void tokens(int n) {
    tokens.increment(n);
  }

  /**
   * A record was written to the dead-letter topic.
   *
   * @param reason the exception's class name, as the record's {@code __streams.errors.exception}
   *     header gives it (so the counter and {@code dlq replay --error} use one vocabulary)
   */
  public void deadLetter(String reason) {
    Counter.builder("armguard.dead.letters")
        .description("Records written to the dead-letter topic, by exception class")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  /** A request record was held (not dead-lettered) because the schema registry was unreachable. */
  public void registryHold() {
    registry.counter("armguard.registry.holds").increment();
  }

  /** A request id seen again within the idempotency window: dropped, not answered twice. */
  public void duplicateRequest() {
    registry.counter("armguard.duplicate.requests").increment();
  }

  /** A tombstone (null value) on the requests topic: no request, so nothing is answered. */
  public void tombstone() {
    registry.counter("armguard.tombstones").increment();
  }

  public void action(String action) {
    registry.counter("armguard.completions", "action", action).increment();
  }
}
