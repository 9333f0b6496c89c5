package io.armguard.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.schema.Action;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.Completion;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.Mode;
import io.armguard.schema.ScorePoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
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
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The v2 schemas (REDACTED, UNKNOWN enum defaults, per-category results, span evidence) against the
 * v1 schemas as released (copied to {@code src/test/resources/schemas/v1}): BACKWARD holds for
 * every subject, v2 readers read v1 records, and v1 readers read v2 records where Avro allows it
 * (new fields ignored; a symbol v1 does not know reads as v1's default).
 */
class SchemaV2EvolutionTest {

  private static Map<String, Schema> v1() throws IOException {
    Schema.Parser p = new Schema.Parser();
    Map<String, Schema> out = new java.util.HashMap<>();
    for (String name :
        List.of("common", "GenerationRequest", "Completion", "AuditRecord", "BufferedRequest")) {
      try (InputStream in =
          SchemaV2EvolutionTest.class.getResourceAsStream("/schemas/v1/" + name + ".avsc")) {
        out.put(name, p.parse(in));
      }
    }
    return out;
  }

  private static <T extends SpecificRecord> byte[] write(T record) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder e = EncoderFactory.get().binaryEncoder(bytes, null);
    new SpecificDatumWriter<T>(record.getSchema()).write(record, e);
    e.flush();
    return bytes.toByteArray();
  }

  private static GenericRecord readAs(byte[] bytes, Schema writer, Schema reader)
      throws IOException {
    return new GenericDatumReader<GenericRecord>(writer, reader)
        .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
  }

  @Test
  void v2IsBackwardCompatibleWithV1OnEverySubject() throws IOException {
    Map<String, Schema> v1 = v1();
    SchemaRegistry registry = InMemorySchemaRegistry.scope("v2-evolution-" + System.nanoTime());
    registry.setCompatibility(null, "BACKWARD");
    Map<String, Schema> v2 =
        Map.of(
            "GenerationRequest", GenerationRequest.getClassSchema(),
            "Completion", Completion.getClassSchema(),
            "AuditRecord", AuditRecord.getClassSchema());
    for (var e : v2.entrySet()) {
      String subject = e.getKey() + "-value";
      registry.register(subject, v1.get(e.getKey()));
      assertTrue(registry.isCompatible(subject, e.getValue()), e.getKey());
    }
  }

  static Completion v2Completion(Action action) {
    return Completion.newBuilder()
        .setRequestId("r-2")
        .setMode(Mode.MODERATE)
        .setAction(action)
        .setText("They are loud, [removed]")
        .setToxicity(0.1f)
        .setFlagged(true)
        .setCategories(Map.of("toxicity", true, "insult", false))
        .setCategoryScores(Map.of("toxicity", 0.91f, "insult", 0.2f))
        .setCompletedAt(Instant.ofEpochMilli(1_700_000_000_000L))
        .build();
  }

  @Test
  void aV1ReaderReadsV2Completions() throws IOException {
    Schema v1 = v1().get("Completion");
    GenericRecord read =
        readAs(write(v2Completion(Action.REWRITTEN)), Completion.getClassSchema(), v1);
    assertEquals("REWRITTEN", read.get("action").toString());
    assertEquals("They are loud, [removed]", read.get("text").toString());
    assertFalse(read.hasField("categories"), "v1 has no categories: ignored");
    // A symbol v1 does not know reads as v1's default (REJECTED): a v1 consumer sees the text but
    // not why; that is what BACKWARD evolution allows, and why docs/ tells consumers to upgrade.
    GenericRecord redacted =
        readAs(write(v2Completion(Action.REDACTED)), Completion.getClassSchema(), v1);
    assertEquals("REJECTED", redacted.get("action").toString());
  }

  @Test
  void aV2ReaderReadsV1CompletionsAndAudits() throws IOException {
    Map<String, Schema> v1 = v1();
    GenericRecord old = new GenericData.Record(v1.get("Completion"));
    old.put("request_id", "r-1");
    old.put("conversation_id", null);
    old.put(
        "mode",
        new GenericData.EnumSymbol(v1.get("Completion").getField("mode").schema(), "MODERATE"));
    old.put(
        "action",
        new GenericData.EnumSymbol(v1.get("Completion").getField("action").schema(), "ALLOWED"));
    old.put("text", "fine");
    old.put("toxicity", 0.1f);
    old.put("prompt_tokens", 3);
    old.put("completion_tokens", 0);
    old.put("lm_model", "lm");
    old.put("reward_model", "rm");
    old.put("error", null);
    old.put("completed_at", 5L);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder e = EncoderFactory.get().binaryEncoder(bytes, null);
    new GenericDatumWriter<GenericRecord>(v1.get("Completion")).write(old, e);
    e.flush();
    Completion c =
        new SpecificDatumReader<Completion>(v1.get("Completion"), Completion.getClassSchema())
            .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    assertEquals(Action.ALLOWED, c.getAction());
    assertFalse(c.getFlagged());
    assertTrue(c.getCategories().isEmpty());

    AuditRecord audit =
        AuditRecord.newBuilder()
            .setRequestId("r-3")
            .setAction(Action.REDACTED)
            .setKeptChars(14)
            .setFirstFlaggedChar(15)
            .setScoreTrajectory(List.of(new ScorePoint(4, 0.1f), new ScorePoint(14, 0.2f)))
            .setTimings(new io.armguard.schema.Timings(0L, 0, 0L))
            .build();
    GenericRecord v1Audit =
        readAs(write(audit), AuditRecord.getClassSchema(), v1.get("AuditRecord"));
    assertEquals("r-3", v1Audit.get("request_id").toString());
    assertFalse(v1Audit.hasField("score_trajectory"));
  }
}
