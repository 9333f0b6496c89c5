package io.armguard.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.schema.GenerationRequest;
import io.armguard.schema.Mode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerdeTest {

  static GenerationRequest request(String id) {
    return GenerationRequest.newBuilder()
        .setRequestId(id)
        .setMode(Mode.MODERATE)
        .setPrompt("How was your day?")
        .setResponse("Fine, thanks.")
        .setTopK(20)
        .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L))
        .build();
  }

  @Test
  void writesConfluentWireFormatAndReadsItBack() {
    String scope = "serde-test-" + System.nanoTime();
    ConfluentAvroSerde<GenerationRequest> serde =
        ConfluentAvroSerde.forValues(
            GenerationRequest.class, Map.of(RegistryClientConfig.URL, "mock://" + scope));
    byte[] bytes = serde.serializer().serialize("armguard.requests", request("r1"));

    SchemaRegistry registry = InMemorySchemaRegistry.scope(scope);
    int id = registry.latest("armguard.requests-value").id();
    assertEquals(0, bytes[0], "magic byte");
    assertEquals(id, ByteBuffer.wrap(bytes, 1, 4).getInt(), "big-endian schema id");
    assertEquals(request("r1"), serde.deserializer().deserialize("armguard.requests", bytes));
    assertNull(serde.deserializer().deserialize("t", null));
  }

  @Test
  void badBytesThrowSerializationExceptionsThatSayWhy() {
    String scope = "serde-bad-" + System.nanoTime();
    ConfluentAvroSerde<GenerationRequest> serde =
        ConfluentAvroSerde.forValues(
            GenerationRequest.class, Map.of(RegistryClientConfig.URL, "mock://" + scope));
    var in = serde.deserializer();
    assertTrue(
        assertThrows(
                SerializationException.class, () -> in.deserialize("t", "{\"json\":1}".getBytes()))
            .getMessage()
            .contains("magic byte"));
    assertTrue(
        assertThrows(
                SerializationException.class,
                () -> in.deserialize("t", new byte[] {0, 0, 0, 0, 42, 1}))
            .getMessage()
            .contains("unknown writer schema id 42"));
    byte[] good = serde.serializer().serialize("t", request("r2"));
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 8);
    assertTrue(
        assertThrows(SerializationException.class, () -> in.deserialize("t", truncated))
            .getMessage()
            .contains("corrupt GenerationRequest"));
  }

  @Test
  void cachingClientAsksTheRegistryOncePerSchema() {
    InMemorySchemaRegistry backing = InMemorySchemaRegistry.scope("cache-" + System.nanoTime());
    int[] calls = new int[1];
    SchemaRegistry counting =
        new ForwardingSchemaRegistry(backing) {
          @Override
          public int register(String subject, org.apache.avro.Schema schema) {
            calls[0]++;
            return super.register(subject, schema);
          }
        };
    var serializer =
        new ConfluentAvroSerializer<GenerationRequest>(
            new CachingSchemaRegistry(counting), true, false);
    byte[] a = serializer.serialize("t", request("a"));
    byte[] b = serializer.serialize("t", request("a"));
    assertArrayEquals(a, b);
    assertEquals(1, calls[0]);
  }

  @Test
  void withoutAutoRegisterAnUnregisteredSchemaFailsClearly() {
    var serializer =
        new ConfluentAvroSerializer<GenerationRequest>(
            InMemorySchemaRegistry.scope("noauto-" + System.nanoTime()), false, false);
    assertTrue(
        assertThrows(SerializationException.class, () -> serializer.serialize("t", request("x")))
            .getMessage()
            .contains("t-value"));
  }
}
