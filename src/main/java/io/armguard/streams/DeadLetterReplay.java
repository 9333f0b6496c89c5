package io.armguard.streams;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends dead letters back to the topic they came from, after an incident: reads the dead-letter
 * topic from the beginning up to its end at the start of the run (read_committed), keeps the
 * records whose error (exception class and message headers) matches {@link Filter#errorPattern} and
 * whose dead-letter time lies in [{@code from}, {@code to}), and produces each original key and
 * value (idempotent producer) to the topic named in its {@code __streams.errors.topic} header, with
 * a header {@value #REPLAYED_HEADER} giving the dead letter's partition and offset. Nothing is
 * deleted from the dead-letter topic; a dry run only counts. Single-threaded; one run per call.
 */
public final class DeadLetterReplay {

  /** Header added to every replayed record: {@code <dlq-partition>:<dlq-offset>}. */
  public static final String REPLAYED_HEADER = "armguard.replayed.from";

  private static final String TOPIC_HEADER = "__streams.errors.topic";
  private static final String EXCEPTION_HEADER = "__streams.errors.exception";
  private static final String MESSAGE_HEADER = "__streams.errors.message";

  /**
   * Which dead letters to send back.
   *
   * @param errorPattern regex searched in "exception-class: message"; null = any
   * @param from earliest dead-letter time, inclusive; null = no bound
   * @param to latest dead-letter time, exclusive; null = no bound
   * @param dryRun count only, produce nothing
   */
  public record Filter(Pattern errorPattern, Instant from, Instant to, boolean dryRun) {

    boolean matches(ConsumerRecord<byte[], byte[]> r) {
      Instant at = Instant.ofEpochMilli(r.timestamp());
      if ((from != null && at.isBefore(from)) || (to != null && !at.isBefore(to))) {
        return false;
      }
      return errorPattern == null || errorPattern.matcher(error(r)).find();
    }
  }

  /**
   * What a run did.
   *
   * @param read dead letters read
   * @param matched dead letters that passed the filter
   * @param replayed records produced (0 in a dry run)
   * @param skipped matched dead letters without a source-topic header
   */
  public record Result(long read, long matched, long replayed, long skipped) {}

  private DeadLetterReplay() {}

  /** Replays {@code dlqTopic} on the cluster at {@code bootstrap}. */
  public static Result run(
      String bootstrap, Map<String, String> clientProps, String dlqTopic, Filter filter) {
    Properties c = new Properties();
    c.putAll(clientProps);
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Properties p = new Properties();
    p.putAll(clientProps);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (var consumer =
            new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        var producer =
            new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(dlqTopic, Duration.ofSeconds(30)).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long read = 0;
      long matched = 0;
      long replayed = 0;
      long skipped = 0;
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      Predicate<TopicPartition> pending = tp -> consumer.position(tp) < end.get(tp);
      while (partitions.stream().anyMatch(pending)) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
            continue; // arrived after the run started
          }
          read++;
          if (!filter.matches(r)) {
            continue;
          }
          matched++;
          String source = header(r, TOPIC_HEADER);
          if (source == null) {
            skipped++;
            continue;
          }
          if (!filter.dryRun()) {
            ProducerRecord<byte[], byte[]> out =
                new ProducerRecord<>(source, null, r.key(), r.value());
            out.headers()
                .add(
                    REPLAYED_HEADER,
                    (r.partition() + ":" + r.offset()).getBytes(StandardCharsets.UTF_8));
            sent.add(producer.send(out));
            replayed++;
          }
        }
      }
      producer.flush();
      for (Future<RecordMetadata> f : sent) {
        try {
          f.get(); // a replay that silently lost records would be worse than none
        } catch (ExecutionException e) {
          throw new IllegalStateException("replay failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while replaying", e);
        }
      }
      return new Result(read, matched, replayed, skipped);
    }
  }

  static String error(ConsumerRecord<byte[], byte[]> r) {
    String exception = header(r, EXCEPTION_HEADER);
    String message = header(r, MESSAGE_HEADER);
    return (exception == null ? "" : exception) + ": " + (message == null ? "" : message);
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
