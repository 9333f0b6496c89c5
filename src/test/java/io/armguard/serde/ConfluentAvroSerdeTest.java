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
  void aBodyMustBeExactlyOneRecordOfValidUtf8() {
    String scope = "serde-strict-" + System.nanoTime();
    ConfluentAvroSerde<GenerationRequest> serde =
        ConfluentAvroSerde.forValues(
            GenerationRequest.class, Map.of(RegistryClientConfig.URL, "mock://" + scope));
    var in = serde.deserializer();
    GenerationRequest text = request("r3");
    text.setPrompt("héllo 你好 \uD83D\uDE00 QQ");
    byte[] good = serde.serializer().serialize("t", text);
    assertEquals(text, in.deserialize("t", good), "valid non-ASCII text reads back unchanged");

    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 2);
    assertTrue(
        assertThrows(SerializationException.class, () -> in.deserialize("t", trailing))
            .getMessage()
            .startsWith("2 bytes left after a complete GenerationRequest body"));

    byte[] badUtf8 = good.clone();
    int q = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("QQ");
    badUtf8[q] = (byte) 0xC3; // a lead byte followed by 'Q' (not a continuation byte)
    assertTrue(
        assertThrows(SerializationException.class, () -> in.deserialize("t", badUtf8))
            .getMessage()
            .contains("is not valid UTF-8"));

    // request_id's length prefix claims 1e9 bytes: refused before a 1 GB buffer is allocated
    byte[] huge = java.util.Arrays.copyOf(good, 10);
    System.arraycopy(
        new byte[] {(byte) 0x80, (byte) 0xA8, (byte) 0xD6, (byte) 0xB9, 0x07}, 0, huge, 5, 5);
    assertTrue(
        assertThrows(SerializationException.class, () -> in.deserialize("t", huge))
            .getMessage()
            .contains("a string of 1000000000 bytes where 0 bytes are left"));
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
