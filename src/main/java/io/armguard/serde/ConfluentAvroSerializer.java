package io.armguard.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro SpecificRecords in the Confluent wire format: byte 0x00, the schema's 4-byte
 * big-endian registry id, the Avro binary body. Subjects follow TopicNameStrategy ({@code
 * <topic>-value}, {@code <topic>-key}). Schemas are registered on first use unless {@code
 * auto.register.schemas=false}, in which case they must already be registered.
 */
public final class ConfluentAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

  static final byte MAGIC = 0;

  private SchemaRegistry registry;
  private boolean autoRegister = true;
  private boolean isKey;

  /** For Kafka's reflective construction; {@link #configure} must follow. */
  public ConfluentAvroSerializer() {}

  /** Ready to use with {@code registry}. */
  public ConfluentAvroSerializer(SchemaRegistry registry, boolean autoRegister, boolean isKey) {
    this.registry = registry;
    this.autoRegister = autoRegister;
    this.isKey = isKey;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    RegistryClientConfig config = RegistryClientConfig.from(configs);
    this.registry = SchemaRegistries.open(config);
    this.autoRegister = config.autoRegister();
    this.isKey = isKey;
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    Schema schema = record.getSchema();
    String subject = SubjectNames.topicName(topic, isKey);
    int id;
    try {
      id = autoRegister ? registry.register(subject, schema) : registry.lookup(subject, schema);
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "cannot get a schema id for subject '" + subject + "': " + e.getMessage(), e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.write(MAGIC);
    out.write(id >>> 24);
    out.write(id >>> 16);
    out.write(id >>> 8);
    out.write(id);
    try {
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      new SpecificDatumWriter<T>(schema).write(record, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot write " + schema.getFullName() + " for topic '" + topic + "': " + e, e);
    }
    return out.toByteArray();
  }
}
