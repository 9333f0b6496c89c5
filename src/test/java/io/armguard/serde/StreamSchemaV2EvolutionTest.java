package io.armguard.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.schema.ReplyChunk;
import io.armguard.schema.StreamState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * The v2 stream schemas (a stream's own hold-back, threshold and on-flag on its first {@code
 * ReplyChunk}, kept in its {@code StreamState}) against v1 as released (copied to {@code
 * src/test/resources/schemas/stream-v1}, with the shared types of that release): BACKWARD holds for
 * both subjects, a v2 reader reads v1 chunks and v1 state (restored from an old changelog) with
 * every new field null, and a v1 reader reads v2 chunks (the new fields ignored).
 */
class StreamSchemaV2EvolutionTest {

  /** A v1 stream schema, parsed after the shared types released with it. */
  private static Schema v1(String name) throws IOException {
    Schema.Parser p = new Schema.Parser();
    parse(p, "common");
    parse(p, "AuditRecord"); // SourceInfo
    return parse(p, name);
  }

  private static Schema parse(Schema.Parser p, String name) throws IOException {
    try (InputStream in =
        StreamSchemaV2EvolutionTest.class.getResourceAsStream(
            "/schemas/stream-v1/" + name + ".avsc")) {
      return p.parse(in);
    }
  }

  private static byte[] write(GenericRecord r, Schema schema) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder e = EncoderFactory.get().binaryEncoder(bytes, null);
    new GenericDatumWriter<GenericRecord>(schema).write(r, e);
    e.flush();
    return bytes.toByteArray();
  }

  @Test
  void v2IsBackwardCompatibleWithV1OnBothStreamSubjects() throws IOException {
    SchemaRegistry registry = InMemorySchemaRegistry.scope("stream-v2-" + System.nanoTime());
    registry.setCompatibility(null, "BACKWARD");
    Map<String, Schema> v2 =
        Map.of(
            "ReplyChunk", ReplyChunk.getClassSchema(), "StreamState", StreamState.getClassSchema());
    for (var e : v2.entrySet()) {
      String subject = e.getKey() + "-value";
      registry.register(subject, v1(e.getKey()));
      assertTrue(registry.isCompatible(subject, e.getValue()), e.getKey());
    }
  }

  @Test
  void aV2ReaderReadsV1ChunksAndStateWithTheServicesSettings() throws IOException {
    Schema chunkV1 = v1("ReplyChunk");
    GenericRecord old = new GenericData.Record(chunkV1);
    old.put("stream_id", "s");
    old.put("seq", 0L);
    old.put("prompt", "Hi?");
    old.put("text", "Hello");
    old.put("final", false);
    old.put("created_at", null);
    old.put("attributes", Map.of());
    ReplyChunk c =
        new SpecificDatumReader<ReplyChunk>(chunkV1, ReplyChunk.getClassSchema())
            .read(null, DecoderFactory.get().binaryDecoder(write(old, chunkV1), null));
    assertEquals("Hello", c.getText());
    assertNull(c.getHoldbackTokens());
    assertNull(c.getToxicityThreshold());
    assertNull(c.getOnFlag());

    Schema stateV1 = v1("StreamState");
    GenericRecord state = new GenericData.Record(stateV1);
    for (Schema.Field f : stateV1.getFields()) {
      if (f.hasDefaultValue()) {
        state.put(f.name(), GenericData.get().getDefaultValue(f));
      }
    }
    state.put("stream_id", "s");
    state.put("text", "Hello");
    state.put("pending", List.of());
    StreamState s =
        new SpecificDatumReader<StreamState>(stateV1, StreamState.getClassSchema())
            .read(null, DecoderFactory.get().binaryDecoder(write(state, stateV1), null));
    assertEquals("Hello", s.getText());
    assertNull(s.getHoldbackTokens());
    assertNull(s.getOnFlag());
    assertNull(s.getRejection());
  }

  @Test
  void aV1ReaderReadsV2Chunks() throws IOException {
    ReplyChunk c =
        ReplyChunk.newBuilder()
            .setStreamId("s")
            .setSeq(0)
            .setText("Hello")
            .setHoldbackTokens(4)
            .setToxicityThreshold(0.3f)
            .setOnFlag("redact")
            .build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder e = EncoderFactory.get().binaryEncoder(bytes, null);
    new SpecificDatumWriter<ReplyChunk>(ReplyChunk.getClassSchema()).write(c, e);
    e.flush();
    GenericRecord read =
        new GenericDatumReader<GenericRecord>(ReplyChunk.getClassSchema(), v1("ReplyChunk"))
            .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    assertEquals("Hello", read.get("text").toString());
    assertFalse(read.hasField("holdback_tokens"));
  }
}
