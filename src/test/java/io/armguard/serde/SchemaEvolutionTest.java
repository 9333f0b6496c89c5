package io.armguard.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.schema.Action;
import io.armguard.schema.Completion;
import io.armguard.schema.Mode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * BACKWARD evolution of the Completion schema: v2 adds a field with a default. A v1 record is read
 * by the v2 reader (the new field takes its default), a v2 record is read by today's v1 class, and
 * the registry refuses a v3 that adds a field without a default.
 */
class SchemaEvolutionTest {

  private static final String TOPIC = "armguard.completions";
  private static final String SUBJECT = "armguard.completions-value";

  static Schema v2() {
    return withField(Completion.getClassSchema(), "review_queue", "\"string\"", "\"none\"");
  }

  static Schema withField(Schema base, String name, String type, String defaultJson) {
    String json = base.toString();
    String field =
        "{\"name\":\""
            + name
            + "\",\"type\":"
            + type
            + (defaultJson == null ? "" : ",\"default\":" + defaultJson)
            + "}";
    int end = json.lastIndexOf("]}");
    return new Schema.Parser().parse(json.substring(0, end) + "," + field + json.substring(end));
  }

  static Completion v1Record() {
    return Completion.newBuilder()
        .setRequestId("r-1")
        .setMode(Mode.GENERATE)
        .setAction(Action.GENERATED)
        .setText("a friendly continuation")
        .setToxicity(0.03f)
        .setCompletedAt(Instant.ofEpochMilli(1_700_000_000_000L))
        .build();
  }

  @Test
  void v1RecordIsReadByTheV2Reader() throws IOException {
    SchemaRegistry registry = InMemorySchemaRegistry.scope("evo1-" + System.nanoTime());
    registry.setCompatibility(null, "BACKWARD");
    byte[] v1Bytes =
        new ConfluentAvroSerializer<Completion>(registry, true, false).serialize(TOPIC, v1Record());
    assertTrue(
        registry.isCompatible(SUBJECT, v2()), "v2 adds a defaulted field: BACKWARD allows it");
    registry.register(SUBJECT, v2());

    int writerId = ByteBuffer.wrap(v1Bytes, 1, 4).getInt();
    GenericDatumReader<GenericRecord> v2Reader =
        new GenericDatumReader<>(registry.schemaById(writerId), v2());
    GenericRecord read =
        v2Reader.read(
            null, DecoderFactory.get().binaryDecoder(v1Bytes, 5, v1Bytes.length - 5, null));
    assertEquals("none", read.get("review_queue").toString());
    assertEquals("a friendly continuation", read.get("text").toString());
    assertEquals(List.of(1, 2), registry.versions(SUBJECT));
  }

  @Test
  void v2RecordIsReadByTodaysClass() throws IOException {
    SchemaRegistry registry = InMemorySchemaRegistry.scope("evo2-" + System.nanoTime());
    new ConfluentAvroSerializer<Completion>(registry, true, false).serialize(TOPIC, v1Record());
    int v2Id = registry.register(SUBJECT, v2());

    GenericRecord v2Record = new GenericData.Record(v2());
    for (Schema.Field f : Completion.getClassSchema().getFields()) {
      v2Record.put(f.name(), GenericData.get().deepCopy(f.schema(), genericValue(f.name())));
    }
    v2Record.put("review_queue", "legal");
    byte[] bytes = frame(v2Id, v2(), v2Record);

    Completion read =
        new ConfluentAvroDeserializer<>(Completion.class, registry).deserialize(TOPIC, bytes);
    assertEquals("r-1", read.getRequestId());
    assertEquals(Action.GENERATED, read.getAction());
  }

  @Test
  void registryRefusesAFieldWithoutDefaultUnderBackward() {
    SchemaRegistry registry = InMemorySchemaRegistry.scope("evo3-" + System.nanoTime());
    registry.setCompatibility(null, "BACKWARD");
    registry.register(SUBJECT, Completion.getClassSchema());
    Schema v3 = withField(Completion.getClassSchema(), "reviewer", "\"string\"", null);
    assertFalse(registry.isCompatible(SUBJECT, v3));
    SchemaRegistryException e =
        assertThrows(SchemaRegistryException.class, () -> registry.register(SUBJECT, v3));
    assertEquals(409, e.status());
  }

  private static Object genericValue(String field) {
    Completion c = v1Record();
    Object value = c.get(field);
    if (value instanceof Enum<?> e) {
      Schema schema = Completion.getClassSchema().getField(field).schema();
      return new GenericData.EnumSymbol(schema, e.name());
    }
    if (value instanceof Instant t) {
      return t.toEpochMilli();
    }
    return value;
  }

  private static byte[] frame(int id, Schema schema, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
