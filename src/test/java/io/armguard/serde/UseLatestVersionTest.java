package io.armguard.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.schema.Completion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * {@code auto.register.schemas=false} with {@code use.latest.version=true}: records are written
 * under the subject's latest registered version, in that version's schema.
 */
class UseLatestVersionTest {

  private static final String TOPIC = "armguard.completions";
  private static final String SUBJECT = "armguard.completions-value";

  private static SchemaRegistry registry(String name) {
    return InMemorySchemaRegistry.scope(name + "-" + System.nanoTime());
  }

  private static ConfluentAvroSerializer<Completion> latest(SchemaRegistry registry) {
    return new ConfluentAvroSerializer<>(registry, SchemaIdSource.LATEST_VERSION, false);
  }

  private static int idOf(byte[] bytes) {
    return ByteBuffer.wrap(bytes, 1, 4).getInt();
  }

  @Test
  void theSettingsChooseWhereIdsComeFromAsConfluentsSerdesDo() {
    assertEquals(
        SchemaIdSource.REGISTER,
        RegistryClientConfig.from(Map.of("schema.registry.url", "mock://x")).idSource());
    assertEquals(
        SchemaIdSource.LOOKUP,
        RegistryClientConfig.from(
                Map.of("schema.registry.url", "mock://x", "auto.register.schemas", "false"))
            .idSource());
    assertEquals(
        SchemaIdSource.LATEST_VERSION,
        RegistryClientConfig.from(
                Map.of(
                    "schema.registry.url", "mock://x",
                    "auto.register.schemas", "false",
                    "use.latest.version", "true"))
            .idSource());
    assertEquals(
        SchemaIdSource.REGISTER,
        RegistryClientConfig.from(
                Map.of("schema.registry.url", "mock://x", "use.latest.version", "true"))
            .idSource(),
        "auto-registration wins, as in Confluent's serializer");
  }

  @Test
  void theRecordsOwnSchemaAsLatestVersionIsWrittenAsItIs() {
    SchemaRegistry registry = registry("latest-same");
    int id = registry.register(SUBJECT, Completion.getClassSchema());
    byte[] bytes = latest(registry).serialize(TOPIC, SchemaEvolutionTest.v1Record());
    assertEquals(id, idOf(bytes));
    assertArrayEquals(
        new ConfluentAvroSerializer<Completion>(registry, true, false)
            .serialize(TOPIC, SchemaEvolutionTest.v1Record()),
        bytes,
        "byte for byte what the registering serializer writes");
  }

  @Test
  void aNewerCompatibleVersionGetsTheRecordResolvedIntoItsSchema() throws IOException {
    SchemaRegistry registry = registry("latest-newer");
    registry.setCompatibility(null, "BACKWARD");
    registry.register(SUBJECT, Completion.getClassSchema());
    Schema v2 = SchemaEvolutionTest.v2();
    int v2Id = registry.register(SUBJECT, v2);

    byte[] bytes = latest(registry).serialize(TOPIC, SchemaEvolutionTest.v1Record());
    assertEquals(v2Id, idOf(bytes), "written under the latest version");
    GenericRecord asV2 =
        new GenericDatumReader<GenericRecord>(v2)
            .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
    assertEquals("none", asV2.get("review_queue").toString(), "the added field's default");
    assertEquals("a friendly continuation", asV2.get("text").toString());
    assertEquals(
        SchemaEvolutionTest.v1Record(),
        new ConfluentAvroDeserializer<>(Completion.class, registry).deserialize(TOPIC, bytes),
        "today's class reads it back");
  }

  @Test
  void aLatestVersionThatCannotReadTheRecordIsRefusedNamingTheFix() {
    SchemaRegistry registry = registry("latest-incompatible");
    registry.setCompatibility(null, "NONE");
    registry.register(SUBJECT, Completion.getClassSchema());
    // a field without a default: records of today's schema cannot be read by this version
    registry.register(
        SUBJECT,
        SchemaEvolutionTest.withField(Completion.getClassSchema(), "reviewer", "\"string\"", null));
    SerializationException e =
        assertThrows(
            SerializationException.class,
            () -> latest(registry).serialize(TOPIC, SchemaEvolutionTest.v1Record()));
    assertTrue(e.getMessage().contains("version (2"), e.getMessage());
    assertTrue(
        e.getMessage().contains("cannot read io.armguard.schema.Completion"), e.getMessage());
    assertTrue(e.getMessage().contains("armguard schemas register"), e.getMessage());
  }

  @Test
  void aSubjectWithoutVersionsNamesTheRegisterCommand() {
    SerializationException e =
        assertThrows(
            SerializationException.class,
            () ->
                latest(registry("latest-empty")).serialize(TOPIC, SchemaEvolutionTest.v1Record()));
    assertTrue(e.getMessage().contains(SUBJECT), e.getMessage());
    assertTrue(e.getMessage().contains("armguard schemas register"), e.getMessage());
  }
}
