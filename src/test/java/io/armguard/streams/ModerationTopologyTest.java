package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.config.ArmguardConfig;
import io.armguard.moderate.WordListEngine;
import io.armguard.schema.Action;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.Completion;
import io.armguard.schema.GenerationRequest;
import io.armguard.serde.InMemorySchemaRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MODERATE contract through the real topology (TopologyTestDriver, in-memory registry): the
 * reply judged alone, REDACT and report-only, per-category results and evidence in the records,
 * validation of newer writers' enum symbols, out-of-range parameters and strategies without a
 * model, and {@link OfflineModeration} (what {@code armguard moderate} runs) giving the pipeline's
 * decisions.
 */
class ModerationTopologyTest {

  private static final String SCOPE = "moderation-topology-test";

  @TempDir Path stateDir;

  private final WordListEngine engine = new WordListEngine();
  private final AtomicLong clock = new AtomicLong();
  private final TopologySerdes serdes = TestSerdes.create(SCOPE);
  private ArmguardConfig config;
  private TopologyTestDriver driver;

  private void start(Map<String, String> more) {
    Map<String, String> props =
        new HashMap<>(
            Map.of(
                "batch.size", "4",
                "batch.max.delay.ms", "200",
                "batch.max.in.flight", "0",
                "instance.id", "ttd",
                "state.dir", stateDir.toString(),
                "application.id", "armguard-moderation-ttd",
                "rewrite.min.new.tokens", "2")); // the word-list engine writes two-word rewrites
    // decoding on the stream thread: the worst-case batch must fit in the transaction timeout
    props.put("transaction.timeout.ms", "60000");
    props.putAll(more);
    config = ArmguardConfig.from(props, Map.of());
    driver =
        new TopologyTestDriver(
            ArmguardTopology.buildTopology(
                config,
                serdes,
                new EnginePool(() -> engine),
                new PipelineMetrics(new SimpleMeterRegistry()),
                clock::get),
            ArmguardTopology.streamsProperties(config),
            Instant.ofEpochMilli(0));
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
  }

  /** Pipes the requests, lets the batch deadline pass, returns completions and audits by id. */
  private Answers run(List<GenerationRequest> rs) {
    TestInputTopic<String, GenerationRequest> in =
        driver.createInputTopic(
            config.requestsTopic(), new StringSerializer(), serdes.request().serializer());
    rs.forEach(r -> in.pipeInput(r.getRequestId(), r));
    return drain();
  }

  private Answers drain() {
    clock.addAndGet(300);
    driver.advanceWallClockTime(Duration.ofMillis(300));
    TestOutputTopic<String, Completion> c =
        driver.createOutputTopic(
            config.completionsTopic(),
            Serdes.String().deserializer(),
            serdes.completion().deserializer());
    TestOutputTopic<String, AuditRecord> a =
        driver.createOutputTopic(
            config.auditTopic(), Serdes.String().deserializer(), serdes.audit().deserializer());
    return new Answers(c.readKeyValuesToMap(), a.readKeyValuesToMap());
  }

  private record Answers(Map<String, Completion> completions, Map<String, AuditRecord> audits) {}

  @Test
  void theReplyIsJudgedAsTheReply() {
    start(Map.of());
    Answers out =
        run(
            List.of(
                TestRequests.moderate("toxic-prompt", "you stupid idiot, I hate you", "sorry"),
                TestRequests.moderate(
                    "toxic-reply", "how do I bake bread", "ok, you stupid fool")));
    Completion allowed = out.completions().get("toxic-prompt");
    assertEquals(Action.ALLOWED, allowed.getAction());
    assertFalse(allowed.getFlagged());
    Completion flagged = out.completions().get("toxic-reply");
    // the default repair: the clean clause plus the mask, no rewrite needed
    assertEquals(Action.REDACTED, flagged.getAction());
    assertEquals("ok, [removed]", flagged.getText());
    assertTrue(flagged.getFlagged());
    assertEquals(Map.of("toxicity", true, "insult", true), flagged.getCategories());
    assertEquals(0.9f, flagged.getCategoryScores().get("toxicity"));
    AuditRecord audit = out.audits().get("toxic-reply");
    assertEquals(OutcomeRecords.AUDIT_SCHEMA_VERSION, audit.getSchemaVersion());
    assertEquals("toxicity", audit.getSteeringLabel());
    assertEquals(8, audit.getFirstFlaggedChar());
    assertEquals(3, audit.getKeptChars());
    assertEquals(4, audit.getScoreTrajectory().size());
    assertEquals(Map.of("toxicity", 0.5f, "insult", 0.5f), audit.getThresholds());
    assertFalse(audit.getOutputFlagged());
  }

  @Test
  void redactedAndReportOnlyOutputs() {
    start(Map.of("toxicity.threshold.insult", "0.85"));
    Answers out =
        run(List.of(TestRequests.moderate("redact", "ALWAYS_TOXIC", "ok, you stupid fool")));
    assertEquals(Action.REDACTED, out.completions().get("redact").getAction());
    assertEquals("ok, [removed]", out.completions().get("redact").getText());
    assertEquals(false, out.completions().get("redact").getCategories().get("insult"));
    assertTrue(out.audits().get("redact").getReason().contains("redacted"));
    driver.close();
    int decodedBefore = engine.generateCalls.get();

    start(Map.of("moderation.mode", "report-only"));
    out = run(List.of(TestRequests.moderate("report", "q", "you stupid fool")));
    Completion c = out.completions().get("report");
    assertEquals(Action.ALLOWED, c.getAction());
    assertEquals("you stupid fool", c.getText());
    assertTrue(c.getFlagged());
    AuditRecord a = out.audits().get("report");
    assertEquals("report-only", a.getModerationMode());
    assertTrue(a.getReason().startsWith("report-only"), a.getReason());
    assertEquals(decodedBefore, engine.generateCalls.get(), "report-only never rewrites");
  }

  @Test
  void outOfRangeParametersAndStrategiesWithoutAModelAreRejectedBeforeDecoding() {
    engine.radLoaded = false;
    start(Map.of());
    GenerationRequest hot = TestRequests.generate("hot", "x");
    hot.setTemperature(1e30f);
    GenerationRequest strong = TestRequests.generate("strong", "x");
    strong.setBeta(1001f);
    GenerationRequest rad = TestRequests.generate("rad", "x");
    rad.setStrategy(io.armguard.schema.Strategy.RAD);
    Answers out = run(List.of(hot, strong, rad));
    assertTrue(out.completions().get("hot").getError().startsWith("temperature 1.0E30 outside"));
    assertTrue(out.completions().get("strong").getError().startsWith("beta 1001.0 outside"));
    assertEquals(
        "strategy RAD has no reward model loaded", out.completions().get("rad").getError());
    assertEquals(0, engine.generateCalls.get(), "rejected at validation, nothing decoded");
  }

  @Test
  void aNewerWritersUnknownSymbolsAreRejectedNeverCoerced() throws Exception {
    start(Map.of());
    // a v3 writer knows mode TRANSLATE and strategy BEAM; this reader (v2) does not
    String v3Json =
        GenerationRequest.getClassSchema()
            .toString()
            .replace(
                "\"GENERATE\",\"MODERATE\",\"UNKNOWN\"",
                "\"GENERATE\",\"MODERATE\",\"UNKNOWN\",\"TRANSLATE\"")
            .replace("\"UNGUIDED\",\"UNKNOWN\"", "\"UNGUIDED\",\"UNKNOWN\",\"BEAM\"");
    Schema v3 = new Schema.Parser().parse(v3Json);
    InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(SCOPE);
    int id = registry.register(config.requestsTopic() + "-value", v3);
    TestInputTopic<String, byte[]> raw =
        driver.createInputTopic(
            config.requestsTopic(), new StringSerializer(), new ByteArraySerializer());
    raw.pipeInput("translate", encode(v3, id, "translate", "TRANSLATE", null));
    raw.pipeInput("beam", encode(v3, id, "beam", "GENERATE", "BEAM"));
    Answers out = drain();
    assertEquals(Action.REJECTED, out.completions().get("translate").getAction());
    assertTrue(
        out.completions().get("translate").getError().startsWith("mode is a symbol"),
        out.completions().get("translate").getError());
    assertTrue(out.completions().get("beam").getError().startsWith("strategy is a symbol"));
    assertEquals(0, engine.generateCalls.get());
  }

  private static byte[] encode(Schema v3, int id, String requestId, String mode, String strategy)
      throws java.io.IOException {
    GenericRecord r = new GenericData.Record(v3);
    for (Schema.Field f : v3.getFields()) {
      if (f.hasDefaultValue()) {
        r.put(f.name(), GenericData.get().getDefaultValue(f));
      }
    }
    Schema modeSchema = v3.getField("mode").schema();
    Schema strategySchema = v3.getField("strategy").schema().getTypes().get(1);
    r.put("request_id", requestId);
    r.put("mode", new GenericData.EnumSymbol(modeSchema, mode));
    r.put("prompt", "hello there");
    r.put(
        "strategy", strategy == null ? null : new GenericData.EnumSymbol(strategySchema, strategy));
    r.put("created_at", 1_000L);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(0);
    bytes.write(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder e = EncoderFactory.get().binaryEncoder(bytes, null);
    new GenericDatumWriter<GenericRecord>(v3).write(r, e);
    e.flush();
    return bytes.toByteArray();
  }

  /** {@code armguard moderate}'s path decides exactly as the pipeline does. */
  @Test
  void offlineModerationGivesThePipelinesDecisions() {
    start(Map.of());
    List<GenerationRequest> rs = new ArrayList<>();
    String[][] items = {
      {"a", "how are you", "fine thanks"},
      {"b", "how are you", "you stupid fool"},
      {"c", "ALWAYS_TOXIC", "I hate you"},
      {"d", "you idiot", "no need to be rude"},
      {"e", "q", ""},
      {"f", "STUB", "idiot"},
      {"g", "why", "because the sky is blue and idiot"},
    };
    for (String[] it : items) {
      rs.add(TestRequests.moderate(it[0], it[1], it[2]));
    }
    Answers piped = run(rs);
    assertEquals(items.length, piped.completions().size());
    List<OutcomeRecords.Outcome> offline =
        new OfflineModeration(config, engine, clock::get).answer(rs, config.requestsTopic());
    for (OutcomeRecords.Outcome o : offline) {
      assertEquals(
          comparable(piped.completions().get(o.key())), comparable(o.completion()), o.key());
      assertEquals(comparable(piped.audits().get(o.key())), comparable(o.audit()), o.key());
    }
  }

  /** The record without what differs by run: time stamps, source offsets, timings. */
  static Completion comparable(Completion c) {
    return Completion.newBuilder(c).setCompletedAt(Instant.EPOCH).build();
  }

  static AuditRecord comparable(AuditRecord a) {
    return AuditRecord.newBuilder(a)
        .setDecidedAt(Instant.EPOCH)
        .setSource(null)
        .setTimings(new io.armguard.schema.Timings(0L, 0, 0L))
        .build();
  }
}
