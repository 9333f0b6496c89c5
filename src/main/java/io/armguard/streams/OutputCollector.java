package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.Completion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads armguard's three output topics (completions, audit, dead letters) from the beginning with
 * {@code read_committed}, as a downstream consumer would: only what exactly-once transactions
 * committed is seen. Used by {@code demo}, {@code bench pipeline} and the real-broker tests. Not
 * thread-safe.
 */
public final class OutputCollector implements AutoCloseable {

  /**
   * A completion, when this collector received it (System.nanoTime and wall clock) and the record's
   * timestamp (armguard stamps a completion with the wall-clock time it was forwarded).
   */
  public record Received(
      Completion completion, long receivedNanos, long receivedWallMs, long recordTimestampMs) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ArmguardConfig config;
  private final TopologySerdes serdes;
  private final List<Received> completions = new ArrayList<>();
  private final List<AuditRecord> audits = new ArrayList<>();
  private final List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();

  public OutputCollector(ArmguardConfig config, TopologySerdes serdes, int partitions) {
    this.config = config;
    this.serdes = serdes;
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> tps = new ArrayList<>();
    for (String topic :
        List.of(config.completionsTopic(), config.auditTopic(), config.dlqTopic())) {
      for (int p = 0; p < partitions; p++) {
        tps.add(new TopicPartition(topic, p));
      }
    }
    consumer.assign(tps);
    consumer.seekToBeginning(tps);
  }

  /**
   * Polls until at least the given counts were read or the timeout passes, then keeps polling for
   * {@code linger} to catch anything extra (a duplicate would show up as a count above expected).
   *
   * @return whether the expected counts were reached
   */
  public boolean await(
      int expectedCompletions,
      int expectedAudits,
      int expectedDeadLetters,
      Duration timeout,
      Duration linger,
      Consumer<Completion> onCompletion) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline
        && (completions.size() < expectedCompletions
            || audits.size() < expectedAudits
            || deadLetters.size() < expectedDeadLetters)) {
      pollOnce(onCompletion);
    }
    boolean reached =
        completions.size() >= expectedCompletions
            && audits.size() >= expectedAudits
            && deadLetters.size() >= expectedDeadLetters;
    long lingerEnd = System.nanoTime() + linger.toNanos();
    while (System.nanoTime() < lingerEnd) {
      pollOnce(onCompletion);
    }
    return reached;
  }

  private void pollOnce(Consumer<Completion> onCompletion) {
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
      if (r.topic().equals(config.completionsTopic())) {
        Completion c = serdes.completion().deserializer().deserialize(r.topic(), r.value());
        completions.add(
            new Received(c, System.nanoTime(), System.currentTimeMillis(), r.timestamp()));
        onCompletion.accept(c);
      } else if (r.topic().equals(config.auditTopic())) {
        audits.add(serdes.audit().deserializer().deserialize(r.topic(), r.value()));
      } else {
        deadLetters.add(r);
      }
    }
  }

  public List<Received> completions() {
    return completions;
  }

  public List<AuditRecord> audits() {
    return audits;
  }

  public List<ConsumerRecord<byte[], byte[]>> deadLetters() {
    return deadLetters;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
