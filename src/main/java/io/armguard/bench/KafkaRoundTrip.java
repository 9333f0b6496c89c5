package io.armguard.bench;

import io.armguard.config.ArmguardConfig;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.GenerationRequest;
import io.armguard.streams.OutputCollector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends rounds of requests to a running armguard and waits for their completions and audits. The
 * producer and collector are the caller's (it closes them); used from one thread.
 */
public final class KafkaRoundTrip {
  private final ArmguardConfig config;
  private final KafkaProducer<String, GenerationRequest> producer;
  private final OutputCollector collector;
  private int expected;

  public KafkaRoundTrip(
      ArmguardConfig config,
      KafkaProducer<String, GenerationRequest> producer,
      OutputCollector collector) {
    this.config = config;
    this.producer = producer;
    this.collector = collector;
  }

  /**
   * One pipeline round: from the first request sent to the last completion consumed.
   *
   * @param seconds the round's wall time
   * @param latenciesMs request produced until its completion was consumed, per request
   * @param batches the round's batches, in forward order
   * @param complete whether every request was answered within the wait
   */
  public record Round(
      double seconds,
      List<Double> latenciesMs,
      List<BatchTiming> batches,
      boolean complete,
      KafkaTime kafka) {

    /** The round's decode time, summed over its batches (the rest of the round is Kafka). */
    public double decodeSeconds() {
      return batches.stream().mapToLong(BatchTiming::decodeMs).sum() / 1e3;
    }
  }

  /** Sends {@code work} and waits (up to 10 minutes) for all of it to be answered. */
  public Round round(List<GenerationRequest> work) {
    Map<String, Long> sent = new HashMap<>();
    long t0Wall = System.currentTimeMillis();
    long t0 = System.nanoTime();
    for (GenerationRequest r : work) {
      sent.put(r.getRequestId(), System.nanoTime());
      producer.send(new ProducerRecord<>(config.requestsTopic(), r.getRequestId(), r));
    }
    producer.flush();
    expected += work.size();
    boolean complete =
        collector.await(expected, expected, 0, Duration.ofMinutes(10), Duration.ZERO, c -> {});
    long last = t0;
    long lastWall = t0Wall;
    List<Double> latencies = new ArrayList<>();
    Map<String, Long> forwardedAt = new HashMap<>();
    for (OutputCollector.Received r : collector.completions()) {
      Long s = sent.get(r.completion().getRequestId());
      if (s != null) {
        latencies.add((r.receivedNanos() - s) / 1e6);
        last = Math.max(last, r.receivedNanos());
        lastWall = Math.max(lastWall, r.receivedWallMs());
        forwardedAt.put(r.completion().getRequestId(), r.recordTimestampMs());
      }
    }
    List<BatchTiming.RequestTiming> timings = new ArrayList<>();
    for (AuditRecord a : collector.audits()) {
      Long forwarded = forwardedAt.get(a.getRequestId());
      if (forwarded != null && a.getTimings().getBatchSize() > 0) {
        timings.add(BatchTiming.RequestTiming.of(a, forwarded));
      }
    }
    List<BatchTiming> batches = BatchTiming.group(timings);
    return new Round(
        (last - t0) / 1e9,
        latencies,
        batches,
        complete && latencies.size() == work.size(),
        KafkaTime.of(t0Wall, lastWall, batches));
  }
}
