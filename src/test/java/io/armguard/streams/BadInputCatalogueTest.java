package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.config.ArmguardConfig;
import io.armguard.moderate.WordListEngine;
import io.armguard.schema.Action;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.Completion;
import io.armguard.streams.BadInputCatalogue.Case;
import io.armguard.streams.BadInputCatalogue.Outcome;
import io.armguard.testing.LogCapture;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue ({@link BadInputCatalogue}) through the real topology: each class between
 * two valid neighbours, checked for where it went (dead letter with its reason, REJECTED completion
 * and audit with the error, ignored and counted, deduplicated, or answered), that both neighbours
 * were answered exactly once, and how many log lines it cost. Then all of them in one burst,
 * interleaved with valid requests.
 *
 * <p>Runs {@code at_least_once}: TopologyTestDriver (Kafka 4.3.1) drops the dead letters the
 * deserialization handler sends under exactly_once_v2 (see ArmguardTopologyTest).
 */
class BadInputCatalogueTest {

  private static final String SCOPE = "bad-input-catalogue";
  private static final String DEBUG_LOGGERS = "io.armguard.streams";
  private static final BadInputCatalogue.Ids IDS = BadInputCatalogue.Ids.PLAIN;

  @TempDir Path stateDir;

  private final WordListEngine engine = new WordListEngine();
  private final AtomicLong clock = new AtomicLong();
  private final AtomicLong logClock = new AtomicLong();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final TopologySerdes serdes = TestSerdes.create(SCOPE);
  private ArmguardConfig config;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> raw;
  private TestOutputTopic<String, Completion> completions;
  private TestOutputTopic<String, AuditRecord> audits;
  private TestOutputTopic<byte[], byte[]> dlq;
  private Level debugLevelBefore;

  static List<Case> catalogue() {
    ArmguardConfig c = ArmguardConfig.from(Map.of(), Map.of());
    return BadInputCatalogue.all(
        c.requestsTopic(), SCOPE, TestSerdes.create(SCOPE).request().serializer(), IDS);
  }

  @BeforeEach
  void start() {
    engine.radLoaded = false;
    // the debug lines of ValidateProcessor and DuplicateRequestFilter are part of what is counted
    debugLevelBefore = org.apache.logging.log4j.LogManager.getLogger(DEBUG_LOGGERS).getLevel();
    Configurator.setLevel(DEBUG_LOGGERS, Level.DEBUG);
    open(Map.of());
  }

  private void open(Map<String, String> more) {
    Map<String, String> settings =
        new HashMap<>(
            Map.of(
                "batch.size", "4",
                "batch.max.delay.ms", "200",
                "batch.max.in.flight", "0",
                "transaction.timeout.ms", "60000",
                "instance.id", "catalogue",
                "state.dir", stateDir.toString(),
                "application.id", "armguard-catalogue"));
    settings.putAll(more);
    config = ArmguardConfig.from(settings, Map.of());
    Properties props = ArmguardTopology.streamsProperties(config);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    PipelineMetrics metrics = new PipelineMetrics(meters);
    props.put(DeadLetterHandler.METRICS_CONFIG, metrics);
    // the shipped limit (10 lines a second) on a clock the test moves
    props.put(
        DeadLetterHandler.LOG_LIMIT_CONFIG,
        new LogRateLimit(DeadLetterHandler.LINES_PER_SECOND, 1_000, logClock::get));
    driver =
        new TopologyTestDriver(
            ArmguardTopology.buildTopology(
                config, serdes, new EnginePool(() -> engine), metrics, clock::get),
            props,
            Instant.ofEpochMilli(0));
    raw =
        driver.createInputTopic(
            config.requestsTopic(), new ByteArraySerializer(), new ByteArraySerializer());
    completions =
        driver.createOutputTopic(
            config.completionsTopic(),
            Serdes.String().deserializer(),
            serdes.completion().deserializer());
    audits =
        driver.createOutputTopic(
            config.auditTopic(), Serdes.String().deserializer(), serdes.audit().deserializer());
    dlq =
        driver.createOutputTopic(
            config.dlqTopic(),
            Serdes.ByteArray().deserializer(),
            Serdes.ByteArray().deserializer());
  }

  @AfterEach
  void stop() {
    Configurator.setLevel(DEBUG_LOGGERS, debugLevelBefore);
    driver.close();
  }

  @Test
  void theCatalogueCoversAtLeast44ClassesOfEveryOutcome() {
    List<Case> all = catalogue();
    assertTrue(all.size() >= 44, "classes: " + all.size());
    Map<Outcome, Long> byOutcome =
        all.stream()
            .collect(
                Collectors.groupingBy(
                    Case::outcome, () -> new EnumMap<>(Outcome.class), Collectors.counting()));
    assertEquals(Outcome.values().length, byOutcome.size(), byOutcome.toString());
    assertEquals(all.size(), all.stream().map(Case::name).distinct().count(), "names unique");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogue")
  void eachClassGoesWhereItShouldAndItsNeighboursAreAnswered(Case bad) {
    List<LogCapture.Line> lines;
    try (LogCapture armguard = new LogCapture("io.armguard");
        LogCapture kafka = new LogCapture("org.apache.kafka")) {
      send(IDS.before(), bad, IDS.after());
      lines = new ArrayList<>(armguard.lines());
      lines.addAll(kafka.lines());
    }

    Map<String, Completion> answers = new HashMap<>();
    List<Completion> out = completions.readValuesToList();
    out.forEach(c -> answers.put(c.getRequestId(), c));
    Map<String, AuditRecord> audit = new HashMap<>();
    List<AuditRecord> auditList = audits.readValuesToList();
    auditList.forEach(a -> audit.put(a.getRequestId(), a));
    List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
    boolean answeredToo = bad.outcome() == Outcome.REJECTED || bad.outcome() == Outcome.ANSWERED;
    int expected = answeredToo ? 3 : 2;

    for (String neighbour : List.of(IDS.before(), IDS.after())) {
      assertEquals(Action.GENERATED, answers.get(neighbour).getAction(), neighbour);
      assertEquals("decode", audit.get(neighbour).getStage(), neighbour);
    }
    assertEquals(expected, out.size(), "one completion per request: " + ids(out));
    assertEquals(expected, auditList.size(), "one audit per request");
    Completion answer = answers.get(badId(out));
    switch (bad.outcome()) {
      case DEAD_LETTER -> {
        assertEquals(1, dead.size(), "one dead letter");
        TestRecord<byte[], byte[]> letter = dead.get(0);
        assertTrue(java.util.Arrays.equals(bad.value(), letter.value()), "the raw value kept");
        assertEquals(
            "org.apache.kafka.common.errors.SerializationException",
            header(letter, "__streams.errors.exception"));
        String message = header(letter, "__streams.errors.message");
        assertTrue(message.contains(bad.reason()), message);
        assertEquals("1", header(letter, "__streams.errors.offset"), "the bad record's offset");
        assertEquals(1.0, count("armguard.dead.letters"));
      }
      case REJECTED -> {
        assertTrue(dead.isEmpty());
        assertEquals(Action.REJECTED, answer.getAction());
        assertTrue(answer.getError().contains(bad.reason()), answer.getError());
        AuditRecord a = audit.get(answer.getRequestId());
        assertEquals("validate", a.getStage());
        assertEquals(answer.getError(), a.getReason());
        assertEquals(1L, a.getSource().getOffset());
      }
      case ANSWERED -> {
        assertTrue(dead.isEmpty());
        assertEquals(Action.GENERATED, answer.getAction(), String.valueOf(answer.getError()));
        assertEquals(IDS.bad(), answer.getRequestId());
      }
      case TOMBSTONE -> {
        assertTrue(dead.isEmpty());
        assertEquals(1.0, count("armguard.tombstones"));
      }
      case DUPLICATE -> {
        assertTrue(dead.isEmpty());
        assertEquals(1.0, count("armguard.duplicate.requests"));
      }
    }
    if (bad.outcome() != Outcome.DUPLICATE) {
      assertEquals(0.0, count("armguard.duplicate.requests"), "no other request deduplicated");
    }
    assertLogLines(bad, lines);
  }

  /**
   * Every class back to back, each followed by a valid request, within one second: every valid
   * request is answered, the outcomes add up, and the dead-letter log stays within its limit, the
   * next line saying how many were suppressed.
   */
  @Test
  void theWholeCatalogueInOneBurstDisturbsNoValidRequest() {
    // without the idempotency window: most classes reuse one request id
    driver.close();
    open(Map.of("dedupe.window.ms", "0"));
    List<Case> all = catalogue();
    List<LogCapture.Line> lines;
    try (LogCapture handler = new LogCapture(DeadLetterHandler.class.getName())) {
      for (int i = 0; i < all.size(); i++) {
        Case c = all.get(i);
        raw.pipeInput(c.key(), c.value());
        String id = "ok-" + i;
        raw.pipeInput(utf8(id), serdes.request().serializer().serialize(topic(), valid(id)));
      }
      advance(1_000);
      logClock.addAndGet(1_000);
      raw.pipeInput(utf8("late"), new byte[] {9});
      lines = handler.lines();
    }
    Map<Outcome, Long> expected =
        all.stream().collect(Collectors.groupingBy(Case::outcome, Collectors.counting()));
    List<Completion> out = completions.readValuesToList();
    for (int i = 0; i < all.size(); i++) {
      String id = "ok-" + i;
      assertEquals(
          1,
          out.stream()
              .filter(c -> c.getRequestId().equals(id) && c.getAction() == Action.GENERATED)
              .count(),
          id + " after " + all.get(i));
    }
    assertEquals(
        expected.get(Outcome.REJECTED),
        out.stream().filter(c -> c.getAction() == Action.REJECTED).count());
    assertEquals(expected.get(Outcome.DEAD_LETTER) + 1, dlq.readRecordsToList().size());
    assertEquals(expected.get(Outcome.TOMBSTONE).doubleValue(), count("armguard.tombstones"));
    long dlqLines = lines.stream().filter(l -> l.message().startsWith("dead letter")).count();
    assertEquals(DeadLetterHandler.LINES_PER_SECOND + 1, dlqLines, "the limit, then the late one");
    String last = lines.get(lines.size() - 1).message();
    long suppressed = expected.get(Outcome.DEAD_LETTER) - DeadLetterHandler.LINES_PER_SECOND;
    assertTrue(last.endsWith("(" + suppressed + " similar lines suppressed)"), last);
  }

  // ---- steps

  private void send(String before, Case bad, String after) {
    raw.pipeInput(utf8(before), serdes.request().serializer().serialize(topic(), valid(before)));
    raw.pipeInput(bad.key(), bad.value());
    raw.pipeInput(utf8(after), serdes.request().serializer().serialize(topic(), valid(after)));
    advance(1_000); // past batch.max.delay.ms: whatever is buffered is answered
  }

  /**
   * Log lines a bad record may cost: a dead letter one WARN line (no stack trace, its coordinates
   * and reason); a rejection, a tombstone and a duplicate one DEBUG line and nothing louder; a
   * served record nothing at all. The neighbours log nothing above DEBUG.
   */
  private static void assertLogLines(Case bad, List<LogCapture.Line> lines) {
    List<LogCapture.Line> loud =
        lines.stream().filter(l -> l.level().isMoreSpecificThan(Level.WARN)).toList();
    List<LogCapture.Line> about =
        lines.stream()
            .filter(
                l ->
                    l.message().contains("rejected:")
                        || l.message().contains("tombstone")
                        || l.message().contains("already seen"))
            .toList();
    if (bad.outcome() == Outcome.DEAD_LETTER) {
      assertEquals(1, loud.size(), "one line per dead letter: " + loud);
      LogCapture.Line l = loud.get(0);
      assertEquals(Level.WARN, l.level());
      assertFalse(l.hasThrowable(), "no stack trace: " + l);
      assertFalse(l.message().contains("\n"), l.message());
      assertTrue(l.message().startsWith("dead letter: node="), l.message());
      assertTrue(l.message().contains(" offset=1 reason="), l.message());
      assertTrue(l.message().contains(bad.reason()), l.message());
      assertTrue(about.isEmpty(), about.toString());
      return;
    }
    assertTrue(loud.isEmpty(), "nothing above INFO: " + loud);
    int debugLines = bad.outcome() == Outcome.ANSWERED ? 0 : 1;
    assertEquals(debugLines, about.size(), about.toString());
    about.forEach(l -> assertEquals(Level.DEBUG, l.level()));
  }

  private void advance(long ms) {
    clock.addAndGet(ms);
    driver.advanceWallClockTime(Duration.ofMillis(ms));
  }

  private double count(String meter) {
    Counter c = meters.find(meter).counter();
    return c == null ? 0.0 : c.count();
  }

  private String topic() {
    return config.requestsTopic();
  }

  private static io.armguard.schema.GenerationRequest valid(String id) {
    return BadInputCatalogue.valid(id);
  }

  /** The id of the completion that is not a neighbour's, or null. */
  private static String badId(List<Completion> out) {
    return out.stream()
        .map(Completion::getRequestId)
        .filter(id -> !id.equals(IDS.before()) && !id.equals(IDS.after()))
        .findFirst()
        .orElse(null);
  }

  private static List<String> ids(List<Completion> out) {
    return out.stream().map(Completion::getRequestId).toList();
  }

  private static String header(TestRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
