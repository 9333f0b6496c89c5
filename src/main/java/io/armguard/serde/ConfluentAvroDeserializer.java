package io.armguard.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the Confluent wire format into a SpecificRecord class: the writer's schema comes from the
 * registry by the id in the record, the reader's schema is the class's own, so records written by
 * an older or newer compatible schema are resolved by Avro's schema resolution. Anything that is
 * not a valid record (no magic byte, unknown id, truncated or corrupt body) throws {@link
 * SerializationException} naming the topic and the problem: Kafka Streams sends such records to the
 * dead-letter topic.
 */
public final class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

  private final Class<T> type;
  private final Schema readerSchema;
  private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();
  private SchemaRegistry registry;

  /** For configuration by {@link #configure}. */
  public ConfluentAvroDeserializer(Class<T> type) {
    this.type = type;
    this.readerSchema = SpecificData.get().getSchema(type);
  }

  /** Ready to use with {@code registry}. */
  public ConfluentAvroDeserializer(Class<T> type, SchemaRegistry registry) {
    this(type);
    this.registry = registry;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.registry = SchemaRegistries.fromConfigs(configs);
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
    SpecificDatumReader<T> reader;
    try {
      reader = readers.computeIfAbsent(id, this::readerFor);
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "unknown writer schema id " + id + " on topic '" + topic + "': " + e.getMessage(), e);
    }
    try {
      return reader.read(null, DecoderFactory.get().binaryDecoder(data, 5, data.length - 5, null));
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

  private SpecificDatumReader<T> readerFor(int id) {
    Schema writer = registry.schemaById(id);
    return new SpecificDatumReader<>(writer, readerSchema);
  }
}
