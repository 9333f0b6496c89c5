package io.armguard.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * <topic>-value}, {@code <topic>-key}). Where the id comes from is a {@link SchemaIdSource}:
 * schemas are registered on first use unless {@code auto.register.schemas=false}, in which case
 * they must already be registered; with {@code use.latest.version=true} as well, records are
 * written under the subject's latest version ({@link LatestVersion}, fetched once per subject and
 * kept for the serializer's life, as Confluent's default {@code latest.cache.ttl.sec=-1} does).
 * Thread-safe once configured.
 */
public final class ConfluentAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

  static final byte MAGIC = 0;

  private SchemaRegistry registry;
  private SchemaIdSource idSource = SchemaIdSource.REGISTER;
  private boolean isKey;
  private final Map<String, LatestVersion> latest = new ConcurrentHashMap<>();

  /** For Kafka's reflective construction; {@link #configure} must follow. */
  public ConfluentAvroSerializer() {}

  /** Ready to use with {@code registry}: registers its schema, or only looks it up. */
  public ConfluentAvroSerializer(SchemaRegistry registry, boolean autoRegister, boolean isKey) {
    this(registry, autoRegister ? SchemaIdSource.REGISTER : SchemaIdSource.LOOKUP, isKey);
  }

  /** Ready to use with {@code registry}, taking schema ids from {@code idSource}. */
  public ConfluentAvroSerializer(SchemaRegistry registry, SchemaIdSource idSource, boolean isKey) {
    this.registry = registry;
    this.idSource = idSource;
    this.isKey = isKey;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    RegistryClientConfig config = RegistryClientConfig.from(configs);
    this.registry = SchemaRegistries.open(config);
    this.idSource = config.idSource();
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
    LatestVersion version = null;
    try {
      switch (idSource) {
        case REGISTER -> id = registry.register(subject, schema);
        case LOOKUP -> id = registry.lookup(subject, schema);
        default -> {
          version =
              latest.computeIfAbsent(subject, s -> LatestVersion.of(registry.latest(s), schema));
          id = version.id();
        }
      }
    } catch (SchemaRegistryException e) {
      String hint =
          idSource != SchemaIdSource.REGISTER && e.isNotFound()
              ? " (auto.register.schemas=false: register the schemas first, armguard schemas"
                  + " register)"
              : "";
      throw new SerializationException(
          "cannot get a schema id for subject '" + subject + "': " + e.getMessage() + hint, e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.write(MAGIC);
    out.write(id >>> 24);
    out.write(id >>> 16);
    out.write(id >>> 8);
    out.write(id);
    try {
      if (version == null || !version.rewrites()) {
        encode(record, schema, out); // the common path: the body goes straight after the id
      } else {
        ByteArrayOutputStream own = new ByteArrayOutputStream(256);
        encode(record, schema, own);
        out.writeBytes(version.rewrite(own.toByteArray()));
      }
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot write " + schema.getFullName() + " for topic '" + topic + "': " + e, e);
    }
    return out.toByteArray();
  }

  private static <T extends SpecificRecord> void encode(
      T record, Schema schema, ByteArrayOutputStream out) throws IOException {
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    new SpecificDatumWriter<T>(schema).write(record, encoder);
    encoder.flush();
  }
}
