package io.armguard.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.schema.Completion;
import io.armguard.schema.GenerationRequest;
import io.armguard.testing.ApicurioRegistry;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** armguard's registry client and serdes against a real registry (Apicurio's Confluent API). */
class RestSchemaRegistryIT {

  private static ApicurioRegistry apicurio;
  private static SchemaRegistry registry;

  @BeforeAll
  static void start() throws Exception {
    apicurio = ApicurioRegistry.startOrSkip();
    registry =
        new RestSchemaRegistry(
            RegistryClientConfig.from(Map.of(RegistryClientConfig.URL, apicurio.url())));
    registry.setCompatibility(null, "BACKWARD"); // Apicurio's default is NONE
  }

  @AfterAll
  static void stop() {
    if (apicurio != null) {
      apicurio.close();
    }
  }

  @Test
  void registersLooksUpAndChecksCompatibility() {
    String subject = "it-completions-value";
    Schema v1 = Completion.getClassSchema();
    int id = registry.register(subject, v1);
    assertEquals(id, registry.register(subject, v1), "re-registering returns the same id");
    assertEquals(id, registry.lookup(subject, v1));
    assertEquals(v1, registry.schemaById(id));
    assertEquals(List.of(1), registry.versions(subject));
    assertEquals("BACKWARD", registry.compatibility(null));

    Schema v2 = SchemaEvolutionTest.v2();
    assertTrue(registry.isCompatible(subject, v2));
    Schema v3 = SchemaEvolutionTest.withField(v1, "reviewer", "\"string\"", null);
    assertFalse(registry.isCompatible(subject, v3));
    int v2Id = registry.register(subject, v2);
    SchemaRegistry.RegisteredSchema latest = registry.latest(subject);
    assertEquals(2, latest.version());
    assertEquals(v2Id, latest.id());
    SchemaRegistryException refused =
        assertThrows(SchemaRegistryException.class, () -> registry.register(subject, v3));
    assertEquals(409, refused.status(), refused.getMessage());
  }

  @Test
  void serdeRoundTripThroughTheRealRegistry() {
    ConfluentAvroSerde<GenerationRequest> serde =
        ConfluentAvroSerde.forValues(
            GenerationRequest.class, Map.of(RegistryClientConfig.URL, apicurio.url()));
    GenerationRequest request = ConfluentAvroSerdeTest.request("it-1");
    byte[] bytes = serde.serializer().serialize("it.requests", request);
    assertEquals(request, serde.deserializer().deserialize("it.requests", bytes));
    assertTrue(registry.versions("it.requests-value").contains(1));
    assertThrows(
        SerializationException.class,
        () -> serde.deserializer().deserialize("it.requests", new byte[] {0, 0, 0, 99, 99, 1}));
  }

  @Test
  void unknownSubjectIsAClear404() {
    SchemaRegistryException e =
        assertThrows(SchemaRegistryException.class, () -> registry.latest("no-such-subject"));
    assertEquals(404, e.status());
    assertTrue(e.getMessage().contains("no-such-subject"), e.getMessage());
  }
}
