package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code armguard dlq replay} against a real broker: the filter, the header, the dry run. */
class DeadLetterReplayIT {

  static EmbeddedBroker broker;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start();
    broker.createTopics(1, List.of("replay.requests", "replay.dlq"));
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  private static ProducerRecord<byte[], byte[]> letter(
      String key, String exception, String message, long timestamp) {
    ProducerRecord<byte[], byte[]> r =
        new ProducerRecord<>("replay.dlq", 0, timestamp, bytes(key), bytes("value of " + key));
    r.headers().add("__streams.errors.exception", bytes(exception));
    r.headers().add("__streams.errors.message", bytes(message));
    r.headers().add("__streams.errors.topic", bytes("replay.requests"));
    return r;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void replaysOnlyMatchingDeadLettersToTheirSourceTopicWithAHeader() throws Exception {
    // an incident ten minutes ago (brokers reject timestamps far in the future)
    long t0 = System.currentTimeMillis() - 600_000;
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", broker.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      String ser = "org.apache.kafka.common.errors.SerializationException";
      p.send(letter("in-incident-1", ser, "unknown writer schema id 7", t0 + 1_000));
      p.send(letter("in-incident-2", ser, "unknown writer schema id 7", t0 + 2_000));
      p.send(letter("garbage", ser, "not a Confluent-framed Avro record", t0 + 3_000));
      p.send(letter("too-late", ser, "unknown writer schema id 7", t0 + 300_000));
      p.flush();
    }
    DeadLetterReplay.Filter filter =
        new DeadLetterReplay.Filter(
            Pattern.compile("unknown writer schema id"),
            Instant.ofEpochMilli(t0),
            Instant.ofEpochMilli(t0 + 60_000),
            true);
    DeadLetterReplay.Result dry =
        DeadLetterReplay.run(broker.bootstrapServers(), Map.of(), "replay.dlq", filter);
    assertEquals(new DeadLetterReplay.Result(4, 2, 0, 0), dry);
    assertEquals(List.of(), read("replay.requests", 0), "a dry run sends nothing");

    DeadLetterReplay.Result done =
        DeadLetterReplay.run(
            broker.bootstrapServers(),
            Map.of(),
            "replay.dlq",
            new DeadLetterReplay.Filter(filter.errorPattern(), filter.from(), filter.to(), false));
    assertEquals(new DeadLetterReplay.Result(4, 2, 2, 0), done);
    List<ConsumerRecord<byte[], byte[]>> replayed = read("replay.requests", 2);
    assertEquals(
        List.of("in-incident-1", "in-incident-2"),
        replayed.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList());
    assertEquals(
        "value of in-incident-1", new String(replayed.get(0).value(), StandardCharsets.UTF_8));
    assertEquals(
        "0:0",
        new String(
            replayed.get(0).headers().lastHeader(DeadLetterReplay.REPLAYED_HEADER).value(),
            StandardCharsets.UTF_8));
  }

  /** Reads {@code topic} from the start until {@code expected} records (or 3 s without more). */
  private static List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected) {
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", broker.bootstrapServers()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(expected == 0 ? 3 : 30).toNanos();
      while (System.nanoTime() < deadline && (expected == 0 || out.size() < expected)) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      return out;
    }
  }
}
