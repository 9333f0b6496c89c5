package io.armguard.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one topic as a bystander: every partition {@code assign()}ed, no {@code group.id}, so
 * nothing is ever committed and no consumer group (the service's least of all) sees a member; only
 * what transactions committed is read ({@code read_committed}, as the service's outputs are written
 * under exactly-once). It starts at the beginning or at the end of each partition and remembers
 * where each partition ended when it started, so a caller can stop there ({@link #caughtUp}) or
 * keep polling. The partitions are those the topic had at the start.
 *
 * <p>Not thread-safe, except {@link #wakeup}, which any thread may call to end a blocked {@link
 * #poll}.
 */
public final class TopicTail implements AutoCloseable {

  /** Where reading starts in each partition. */
  public enum Start {
    BEGINNING,
    END
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<TopicPartition> partitions;
  private final Map<TopicPartition, Long> endAtStart;

  /**
   * Opens the consumer, looks the topic up and seeks.
   *
   * @param clientProps the cluster's consumer settings (bootstrap servers, security); a {@code
   *     group.id} in them is ignored
   * @throws IllegalArgumentException when the topic does not exist
   */
  public TopicTail(
      Map<String, Object> clientProps, String topic, Start start, Duration metadataTimeout) {
    Map<String, Object> props = new HashMap<>(clientProps);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // a typo must not create one
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "armguard-tail");
    this.consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, metadataTimeout);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException("no such topic: " + topic);
      }
      this.partitions =
          infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      consumer.assign(partitions);
      if (start == Start.BEGINNING) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      // read_committed: the last stable offset, so an open transaction does not keep us waiting
      this.endAtStart = Map.copyOf(consumer.endOffsets(partitions, metadataTimeout));
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
  }

  /** Whether every partition has been read up to where it ended when this tail started. */
  public boolean caughtUp() {
    try {
      for (TopicPartition tp : partitions) {
        if (consumer.position(tp) < endAtStart.get(tp)) {
          return false;
        }
      }
      return true;
    } catch (WakeupException e) {
      return false; // the caller asked to stop; it will see that itself
    }
  }

  /** The next records (possibly none within {@code timeout}); empty after {@link #wakeup}. */
  public List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout) {
    try {
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      consumer.poll(timeout).forEach(out::add);
      return out;
    } catch (WakeupException e) {
      return List.of();
    }
  }

  /** Ends a {@link #poll} that is blocked now or the next one; safe from any thread. */
  public void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
