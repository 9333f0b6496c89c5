package io.armguard.serde;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serde} for one Avro SpecificRecord class in the Confluent wire format, configured
 * with {@code schema.registry.url} (and the other {@link RegistryClientConfig} keys).
 */
public final class ConfluentAvroSerde<T extends SpecificRecord> implements Serde<T> {

  private final ConfluentAvroSerializer<T> serializer;
  private final ConfluentAvroDeserializer<T> deserializer;

  /** An unconfigured serde; call {@link #configure}. */
  public ConfluentAvroSerde(Class<T> type) {
    this.serializer = new ConfluentAvroSerializer<>();
    this.deserializer = new ConfluentAvroDeserializer<>(type);
  }

  /** A serde configured from a Kafka-style map (value serde). */
  public static <T extends SpecificRecord> ConfluentAvroSerde<T> forValues(
      Class<T> type, Map<String, ?> configs) {
    ConfluentAvroSerde<T> serde = new ConfluentAvroSerde<>(type);
    serde.configure(configs, false);
    return serde;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    serializer.configure(configs, isKey);
    deserializer.configure(configs, isKey);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }
}
