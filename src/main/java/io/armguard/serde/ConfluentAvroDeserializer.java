package io.armguard.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the Confluent wire format into a SpecificRecord class: the writer's schema comes from the
 * registry by the id in the record, the reader's schema is the class's own, so records written by
 * an older or newer compatible schema are resolved by Avro's schema resolution. Anything that is
 * not exactly one valid record (no magic byte, unknown id, truncated or corrupt body, bytes left
 * after the body, a string that is not valid UTF-8 or claims more bytes than the body has: {@link
 * CheckedBinaryDecoder}) throws {@link SerializationException} naming the topic and the problem:
 * Kafka Streams sends such records to the dead-letter topic.
 *
 * <p>A registry that gives no definite answer (unreachable, timeout, 5xx) is not bad input: the
 * lookup is retried with back-off ({@link RegistryRetry}, budget {@value RegistryRetry#BUDGET_MS})
 * and then fails with {@link RegistryUnavailableException}, which is <em>not</em> a
 * SerializationException, so the caller holds the record instead of dead-lettering it. Only a 404
 * ("no schema with this id") makes a record undecodable. Outcomes are reported to {@link
 * RegistryAvailability#shared()}. Thread-safe.
 */
public final class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

  private static final long DEFAULT_BUDGET_MS = RegistryRetry.DEFAULT_BUDGET_MS;

  private final Class<T> type;
  private final Schema readerSchema;
  private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();
  private final RegistryAvailability availability;
  private final Pauser pauser;
  private SchemaRegistry registry;
  private RegistryRetry retry = RegistryRetry.withBudget(Duration.ofMillis(DEFAULT_BUDGET_MS));

  /** Sleeps between registry attempts; tests pass one that only advances their clock. */
  @FunctionalInterface
  interface Pauser {
    void pause(long ms) throws InterruptedException;
  }

  /** For configuration by {@link #configure}. */
  public ConfluentAvroDeserializer(Class<T> type) {
    this(type, RegistryAvailability.shared(), Thread::sleep);
  }

  /** Ready to use with {@code registry}. */
  public ConfluentAvroDeserializer(Class<T> type, SchemaRegistry registry) {
    this(type);
    this.registry = registry;
  }

  /**
   * Ready to use with {@code registry}, retrying by {@code retry} (real pauses) and reporting to
   * {@code availability}.
   */
  public static <T extends SpecificRecord> ConfluentAvroDeserializer<T> withRetry(
      Class<T> type,
      SchemaRegistry registry,
      RegistryRetry retry,
      RegistryAvailability availability) {
    return new ConfluentAvroDeserializer<>(type, registry, retry, availability, Thread::sleep);
  }

  /** With its own availability record, pauser and retry policy (tests). */
  ConfluentAvroDeserializer(
      Class<T> type,
      SchemaRegistry registry,
      RegistryRetry retry,
      RegistryAvailability availability,
      Pauser pauser) {
    this(type, availability, pauser);
    this.registry = registry;
    this.retry = retry;
  }

  private ConfluentAvroDeserializer(Class<T> type, RegistryAvailability availability, Pauser p) {
    this.type = type;
    this.readerSchema = SpecificData.get().getSchema(type);
    this.availability = availability;
    this.pauser = p;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.registry = SchemaRegistries.fromConfigs(configs);
    Object budget = configs.get(RegistryRetry.BUDGET_MS);
    if (budget != null) {
      this.retry = RegistryRetry.withBudget(Duration.ofMillis(Long.parseLong(budget.toString())));
    }
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (data.length < 5 || data[0] != ConfluentAvroSerializer.MAGIC) {
      throw new SerializationException(
          "not a Confluent-framed Avro record on topic '"
              + topic
              + "': "
              + (data.length < 5
                  ? data.length + " bytes"
                  : "magic byte " + data[0] + " (expected 0)"));
    }
    ByteBuffer buffer = ByteBuffer.wrap(data);
    buffer.get();
    int id = buffer.getInt();
    SpecificDatumReader<T> reader = readers.get(id);
    if (reader == null) {
      reader = readers.computeIfAbsent(id, i -> readerFor(i, topic));
    }
    try {
      CheckedBinaryDecoder decoder = new CheckedBinaryDecoder(data, 5, data.length - 5);
      T value = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        // A body is exactly one record: bytes after it mean a framing bug (two records written
        // into one, a wrong length), not data a newer writer added (resolution reads those).
        throw new SerializationException(
            decoder.remaining()
                + " bytes left after a complete "
                + type.getSimpleName()
                + " body (schema id "
                + id
                + ") on topic '"
                + topic
                + "'");
      }
      return value;
    } catch (SerializationException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "corrupt "
              + type.getSimpleName()
              + " body (schema id "
              + id
              + ") on topic '"
              + topic
              + "': "
              + e,
          e);
    }
  }

  /** Asks the registry for writer schema {@code id}, retrying answers that are not definite. */
  private SpecificDatumReader<T> readerFor(int id, String topic) {
    long start = System.nanoTime();
    long pausedMs = 0;
    for (int attempt = 0; ; attempt++) {
      try {
        Schema writer = registry.schemaById(id);
        availability.reachable();
        return new SpecificDatumReader<>(writer, readerSchema);
      } catch (SchemaRegistryException e) {
        if (e.isNotFound()) {
          availability.reachable();
          throw new SerializationException(
              "unknown writer schema id " + id + " on topic '" + topic + "': " + e.getMessage(), e);
        }
        availability.unreachable(e.getMessage(), System.currentTimeMillis());
        long pause = retry.pauseMs(attempt);
        // Whichever is larger: a real pauser makes them equal, a test's pauser only counts.
        long spentMs = Math.max((System.nanoTime() - start) / 1_000_000, pausedMs);
        if (spentMs + pause > retry.budget().toMillis()) {
          throw new RegistryUnavailableException(
              "schema registry gave no answer for writer schema id "
                  + id
                  + " on topic '"
                  + topic
                  + "' after "
                  + (attempt + 1)
                  + " attempts: "
                  + e.getMessage(),
              e);
        }
        try {
          pauser.pause(pause);
          pausedMs += pause;
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new RegistryUnavailableException("interrupted while waiting for the registry", e);
        }
      }
    }
  }
}
