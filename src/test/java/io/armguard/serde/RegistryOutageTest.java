package io.armguard.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.schema.GenerationRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Only a definite "no such schema" makes a record undecodable; an outage is held and retried. */
class RegistryOutageTest {

  /** A registry that can be switched off (no answer) and counts schema-by-id calls. */
  static final class SwitchableRegistry extends ForwardingSchemaRegistry {
    volatile boolean down;
    final AtomicInteger schemaCalls = new AtomicInteger();

    SwitchableRegistry(SchemaRegistry delegate) {
      super(delegate);
    }

    @Override
    public Schema schemaById(int id) {
      schemaCalls.incrementAndGet();
      if (down) {
        throw new SchemaRegistryException(
            "schema registry unreachable: GET /schemas/ids/" + id + ": Connection refused",
            new java.net.ConnectException("Connection refused"));
      }
      return super.schemaById(id);
    }
  }

  private final String scope = "outage-" + System.nanoTime();
  private final SwitchableRegistry registry =
      new SwitchableRegistry(InMemorySchemaRegistry.scope(scope));
  private final byte[] valid =
      ConfluentAvroSerde.forValues(
              GenerationRequest.class, Map.of(RegistryClientConfig.URL, "mock://" + scope))
          .serializer()
          .serialize("t", ConfluentAvroSerdeTest.request("r1"));

  @Test
  void anUnreachableRegistryIsRetriedWithBackOffThenHeldNotDeadLettered() {
    RegistryAvailability availability = new RegistryAvailability();
    List<Long> pauses = new ArrayList<>();
    var in =
        new ConfluentAvroDeserializer<>(
            GenerationRequest.class,
            registry,
            RegistryRetry.withBudget(Duration.ofSeconds(5)),
            availability,
            pauses::add);
    registry.down = true;

    RuntimeException e =
        assertThrows(RuntimeException.class, () -> in.deserialize("armguard.requests", valid));
    assertTrue(e instanceof RegistryUnavailableException, "not a poison pill: " + e);
    assertFalse(e instanceof SerializationException, "must not reach the dead-letter path");
    assertEquals(List.of(100L, 200L, 400L, 800L, 1600L), pauses, "doubling, capped, within 5 s");
    assertEquals(pauses.size() + 1, registry.schemaCalls.get());
    assertFalse(availability.isAvailable());
    assertTrue(availability.describe().contains("Connection refused"), availability.describe());

    registry.down = false; // the registry is back: the same record decodes
    assertEquals("r1", in.deserialize("armguard.requests", valid).getRequestId());
    assertTrue(availability.isAvailable());
  }

  @Test
  void aServerErrorIsNotDefiniteEither() {
    SchemaRegistry failing =
        new ForwardingSchemaRegistry(InMemorySchemaRegistry.scope(scope)) {
          @Override
          public Schema schemaById(int id) {
            throw new SchemaRegistryException("schema registry answered HTTP 503", 503);
          }
        };
    var in =
        new ConfluentAvroDeserializer<>(
            GenerationRequest.class,
            failing,
            RegistryRetry.withBudget(Duration.ZERO),
            new RegistryAvailability(),
            ms -> {});
    assertThrows(RegistryUnavailableException.class, () -> in.deserialize("t", valid));
  }

  @Test
  void anUnknownIdIsDefiniteAndItsAnswerIsCachedBriefly() {
    AtomicLong now = new AtomicLong(1_000_000);
    RegistryAvailability availability = new RegistryAvailability();
    var in =
        new ConfluentAvroDeserializer<>(
            GenerationRequest.class,
            new CachingSchemaRegistry(registry, now::get),
            RegistryRetry.withBudget(Duration.ofSeconds(5)),
            availability,
            ms -> {});
    byte[] bogus = {0, 0, 0, 0x7f, 0x12, 2, 'x'};
    for (int i = 0; i < 50; i++) {
      SerializationException e =
          assertThrows(SerializationException.class, () -> in.deserialize("t", bogus));
      assertTrue(e.getMessage().contains("unknown writer schema id 32530"), e.getMessage());
    }
    assertEquals(1, registry.schemaCalls.get(), "one HTTP call per bogus id, not per record");
    assertTrue(availability.isAvailable(), "a 404 is an answer");

    now.addAndGet(CachingSchemaRegistry.NEGATIVE_TTL.toMillis());
    assertThrows(SerializationException.class, () -> in.deserialize("t", bogus));
    assertEquals(2, registry.schemaCalls.get(), "asked again once the negative entry expired");
  }
}
