package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.config.ArmguardConfig;
import io.armguard.moderate.WordListEngine;
import io.armguard.schema.Action;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.Completion;
import io.armguard.schema.GenerationRequest;
import io.armguard.serde.ConfluentAvroDeserializer;
import io.armguard.serde.ForwardingSchemaRegistry;
import io.armguard.serde.InMemorySchemaRegistry;
import io.armguard.serde.RegistryAvailability;
import io.armguard.serde.RegistryRetry;
import io.armguard.serde.RegistryUnavailableException;
import io.armguard.serde.SchemaRegistry;
import io.armguard.serde.SchemaRegistryException;
import io.armguard.testing.LogCapture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real topology under TopologyTestDriver: both modes, REJECTED paths, the dead-letter queue.
 */
class ArmguardTopologyTest {

  @TempDir Path stateDir;

  private final WordListEngine engine = new WordListEngine();
  private final AtomicLong clock = new AtomicLong();
  private final TopologySerdes serdes = TestSerdes.create("topology-test");
  private ArmguardConfig config;
  private TopologyTestDriver driver;
  private EnginePool pool; // the instance scheduler's worker stops with it
  private TestInputTopic<String, GenerationRequest> requests;
  private TestOutputTopic<String, Completion> completions;
  private TestOutputTopic<String, AuditRecord> audits;

  @BeforeEach
  void start() {
    // Decoding on the stream thread keeps these tests step-by-step deterministic; the worker path
    // has its own test below.
    startWith("0");
  }

  private void startWith(String maxInFlight) {
    startWith(maxInFlight, Map.of());
  }

  private void startWith(String maxInFlight, Map<String, String> more) {
    Map<String, String> props =
        new java.util.HashMap<>(
            Map.of(
                "batch.size", "4",
                "batch.max.delay.ms", "200",
                "batch.max.in.flight", maxInFlight,
                "transaction.timeout.ms", "60000",
                "instance.id", "ttd",
                "state.dir", stateDir.toString(),
                "application.id", "armguard-ttd",
                // the word-list engine writes two-word rewrites
                "rewrite.min.new.tokens", "2",
                // these tests follow flagged replies through the rewrite path
                "moderation.repair", "rewrite"));
    props.putAll(more);
    config = ArmguardConfig.from(props, Map.of());
    pool = new EnginePool(() -> engine);
    Topology topology =
        ArmguardTopology.buildTopology(
            config, serdes, pool, new PipelineMetrics(new SimpleMeterRegistry()), clock::get);
    open(topology, StreamsConfig.EXACTLY_ONCE_V2);
  }

  private void open(Topology topology, String guarantee) {
    Properties props = ArmguardTopology.streamsProperties(config);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    driver = new TopologyTestDriver(topology, props, Instant.ofEpochMilli(0));
    requests =
        driver.createInputTopic(
            config.requestsTopic(), Serdes.String().serializer(), serdes.request().serializer());
    completions =
        driver.createOutputTopic(
            config.completionsTopic(),
            Serdes.String().deserializer(),
            serdes.completion().deserializer());
    audits =
        driver.createOutputTopic(
            config.auditTopic(), Serdes.String().deserializer(), serdes.audit().deserializer());
  }

  /** Moves the buffer's clock and the driver's wall clock (which fires punctuators) together. */
  private void advance(long ms) {
    clock.addAndGet(ms);
    driver.advanceWallClockTime(Duration.ofMillis(ms));
  }

  @AfterEach
  void stop() {
    driver.close();
    pool.close();
  }

  @Test
  void aStreamThreadBlocksOnOneConsumerCallForLessThanItsTransactionTimeout() {
    String key =
        StreamsConfig.mainConsumerPrefix(
            org.apache.kafka.clients.consumer.ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
    ArmguardConfig shipped = ArmguardConfig.from(Map.of(), Map.of());
    assertEquals(10_000, ArmguardTopology.streamsProperties(shipped).get(key), "20 s / 2");
    ArmguardConfig shortTx =
        ArmguardConfig.from(Map.of(ArmguardConfig.TRANSACTION_TIMEOUT_MS, "8000"), Map.of());
    assertEquals(4_000, ArmguardTopology.streamsProperties(shortTx).get(key));
    ArmguardConfig longTx =
        ArmguardConfig.from(Map.of(ArmguardConfig.TRANSACTION_TIMEOUT_MS, "120000"), Map.of());
    assertEquals(10_000, ArmguardTopology.streamsProperties(longTx).get(key), "at most 10 s");
  }

  @Test
  void everyProcessorStoreAndTopicIsNamed() {
    TopologyDescription d =
        ArmguardTopology.buildTopology(
                config,
                serdes,
                new EnginePool(() -> engine),
                new PipelineMetrics(new SimpleMeterRegistry()))
            .describe();
    String text = d.toString();
    for (String name :
        List.of(
            ArmguardTopology.SOURCE,
            ArmguardTopology.VALIDATE,
            ArmguardTopology.MICRO_BATCH,
            ArmguardTopology.BUFFER_STORE,
            ArmguardTopology.DEDUPE,
            ArmguardTopology.REQUEST_IDS_STORE,
            ArmguardTopology.COMPLETIONS_SINK,
            ArmguardTopology.AUDIT_SINK,
            "armguard.requests",
            "armguard.completions",
            "armguard.audit")) {
      assertTrue(text.contains(name), name + " missing from\n" + text);
    }
    // buffering a request writes the store's changelog, an internal topic named after the store
    requests.pipeInput("c1", TestRequests.generate("c1", "hello"));
    assertTrue(
        driver.producedTopicNames().contains("armguard-ttd-micro-batch-buffer-changelog"),
        driver.producedTopicNames().toString());
  }

  @Test
  void generateAndModerateRequestsAreAnsweredOnceEachAfterTheDelay() {
    requests.pipeInput("g1", TestRequests.generate("g1", "once upon a time"));
    requests.pipeInput("m1", TestRequests.moderate("m1", "how are you", "fine thanks"));
    requests.pipeInput("m2", TestRequests.moderate("m2", "how are you", "ok, you stupid fool"));
    assertTrue(completions.isEmpty(), "3 < batch.size: still buffered");
    advance(199);
    assertTrue(completions.isEmpty(), "oldest waited 199 ms < 200 ms");
    advance(60);

    Map<String, Completion> out = completions.readKeyValuesToMap();
    assertEquals(3, out.size());
    assertEquals(Action.GENERATED, out.get("g1").getAction());
    assertEquals(" fine words", out.get("g1").getText());
    assertEquals(Action.ALLOWED, out.get("m1").getAction());
    assertEquals("fine thanks", out.get("m1").getText());
    assertEquals(Action.REWRITTEN, out.get("m2").getAction());
    assertEquals("ok, fine words", out.get("m2").getText()); // the clause before the insult kept
    Map<String, AuditRecord> audit = audits.readKeyValuesToMap();
    assertEquals(3, audit.size());
    assertEquals(3, audit.get("m2").getRewrittenSpan().getBegin());
    assertEquals("armguard.requests", audit.get("m2").getSource().getTopic());
    assertEquals(2L, audit.get("m2").getSource().getOffset());
    assertEquals("ttd", audit.get("m2").getInstanceId());
    assertTrue(completions.isEmpty() && audits.isEmpty(), "exactly one each");
  }

  @Test
  void aFullBatchLeavesWithoutWaiting() {
    for (int i = 0; i < 4; i++) {
      requests.pipeInput("r" + i, TestRequests.generate("r" + i, "hello number " + i));
    }
    assertEquals(4, completions.readValuesToList().size());
    assertEquals(List.of(4), engine.generateBatchSizes);
  }

  @ParameterizedTest(name = "decode.scheduler={0}")
  @ValueSource(strings = {"continuous", "instance", "task"})
  void batchesDecodedOnTheWorkerAreAnsweredOnceEach(String scheduler) throws InterruptedException {
    driver.close();
    startWith("2", Map.of("decode.scheduler", scheduler));
    for (int i = 0; i < 8; i++) {
      requests.pipeInput("w" + i, TestRequests.generate("w" + i, "hello number " + i));
    }
    Map<String, Completion> out = new java.util.HashMap<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (out.size() < 8 && System.nanoTime() < deadline) {
      Thread.sleep(5);
      advance(10); // the punctuator picks up what the worker finished
      out.putAll(completions.readKeyValuesToMap());
    }
    assertEquals(8, out.size());
    assertTrue(out.values().stream().allMatch(c -> c.getAction() == Action.GENERATED));
    assertEquals(8, audits.readKeyValuesToMap().size());
    advance(1_000);
    assertTrue(completions.isEmpty() && audits.isEmpty(), "exactly one each");
    if (scheduler.equals("continuous")) {
      // one request per decision: the word-list engine sees each generation row once
      assertEquals(8, engine.generateBatchSizes.stream().mapToInt(Integer::intValue).sum());
    } else {
      assertEquals(List.of(4, 4), engine.generateBatchSizes);
    }
  }

  @Test
  void invalidRequestsAreRejectedAtOnceWithAReason() {
    GenerationRequest empty = TestRequests.generate("e1", "  ");
    GenerationRequest noResponse = TestRequests.moderate("e2", "q", null);
    GenerationRequest tooMany = TestRequests.generate("e3", "x");
    tooMany.setMaxNewTokens(10_000);
    GenerationRequest badK = TestRequests.generate("e4", "x");
    badK.setTopK(0);
    GenerationRequest badBeta = TestRequests.generate("e5", "x");
    badBeta.setBeta(Float.NaN);
    GenerationRequest tooLong = TestRequests.generate("e6", "word ".repeat(70));
    GenerationRequest badThreshold = TestRequests.moderate("e7", "q", "a");
    badThreshold.setToxicityThreshold(1.5f);
    for (GenerationRequest r :
        List.of(empty, noResponse, tooMany, badK, badBeta, tooLong, badThreshold)) {
      requests.pipeInput(r.getRequestId(), r);
    }
    Map<String, Completion> out = completions.readKeyValuesToMap();
    assertEquals(7, out.size());
    out.values().forEach(c -> assertEquals(Action.REJECTED, c.getAction()));
    assertEquals("prompt is empty", out.get("e1").getError());
    assertEquals("MODERATE request without a response", out.get("e2").getError());
    assertTrue(out.get("e3").getError().startsWith("max_new_tokens 10000"));
    assertTrue(out.get("e4").getError().startsWith("top_k 0"));
    assertTrue(out.get("e5").getError().contains("beta NaN"));
    assertTrue(out.get("e6").getError().contains("exceeds the model's context of 64"));
    assertTrue(out.get("e7").getError().contains("toxicity_threshold 1.5"));
    Map<String, AuditRecord> audit = audits.readKeyValuesToMap();
    assertEquals(7, audit.size());
    assertEquals("validate", audit.get("e1").getStage());
    assertEquals("prompt is empty", audit.get("e1").getReason());
    assertEquals(0.5f, audit.get("e1").getThreshold());
    assertEquals(1.5f, audit.get("e7").getThreshold());
    assertEquals(0, engine.generateCalls.get());
  }

  @Test
  void undecodableBytesGoToTheDeadLetterTopicWithHeadersAndTheThreadLivesOn() {
    // Observed with Kafka 4.3.1: under exactly_once_v2 TopologyTestDriver drops the dead-letter
    // records that the deserialization handler sends, so this test drives at_least_once; the
    // real-broker ArmguardPipelineIT checks the DLQ under exactly_once_v2.
    driver.close();
    open(
        ArmguardTopology.buildTopology(
            config,
            serdes,
            new EnginePool(() -> engine),
            new PipelineMetrics(new SimpleMeterRegistry()),
            clock::get),
        StreamsConfig.AT_LEAST_ONCE);
    TestInputTopic<byte[], byte[]> raw =
        driver.createInputTopic(
            config.requestsTopic(), new ByteArraySerializer(), new ByteArraySerializer());
    raw.pipeInput(
        "junk".getBytes(StandardCharsets.UTF_8),
        "this is not avro".getBytes(StandardCharsets.UTF_8));
    TestOutputTopic<byte[], byte[]> dlq =
        driver.createOutputTopic(
            config.dlqTopic(),
            Serdes.ByteArray().deserializer(),
            Serdes.ByteArray().deserializer());
    TestRecord<byte[], byte[]> dead = dlq.readRecord();
    assertEquals("this is not avro", new String(dead.value(), StandardCharsets.UTF_8));
    Header exception = dead.headers().lastHeader("__streams.errors.exception");
    assertNotNull(exception, "DLQ record carries the exception class");
    assertNotNull(dead.headers().lastHeader("__streams.errors.message"));
    assertEquals(
        config.requestsTopic(),
        new String(
            dead.headers().lastHeader("__streams.errors.topic").value(), StandardCharsets.UTF_8));
    assertTrue(completions.isEmpty());
    // the next good request is still served
    for (int i = 0; i < 4; i++) {
      requests.pipeInput("ok" + i, TestRequests.generate("ok" + i, "still alive"));
    }
    assertEquals(4, completions.readValuesToList().size());
  }

  @Test
  void aRequestReadWhileTheRegistryIsUnreachableIsHeldNotDeadLettered() {
    // a cold schema cache (a fresh deserializer) over a registry that does not answer
    SchemaRegistry down =
        new ForwardingSchemaRegistry(InMemorySchemaRegistry.scope("topology-test")) {
          @Override
          public Schema schemaById(int id) {
            throw new SchemaRegistryException("schema registry unreachable: refused", -1);
          }
        };
    RegistryAvailability availability = new RegistryAvailability();
    TopologySerdes cold =
        new TopologySerdes(
            Serdes.serdeFrom(
                serdes.request().serializer(),
                ConfluentAvroDeserializer.withRetry(
                    GenerationRequest.class,
                    down,
                    RegistryRetry.withBudget(Duration.ZERO),
                    availability)),
            serdes.completion(),
            serdes.audit(),
            serdes.buffered());
    driver.close();
    open(
        ArmguardTopology.buildTopology(
            config,
            cold,
            new EnginePool(() -> engine),
            new PipelineMetrics(new SimpleMeterRegistry()),
            clock::get),
        StreamsConfig.AT_LEAST_ONCE); // the driver drops DLQ records under EOS (see above)
    TestOutputTopic<byte[], byte[]> dlq =
        driver.createOutputTopic(
            config.dlqTopic(),
            Serdes.ByteArray().deserializer(),
            Serdes.ByteArray().deserializer());

    StreamsException e =
        assertThrows(
            StreamsException.class,
            () -> requests.pipeInput("h1", TestRequests.generate("h1", "hello")));
    assertTrue(RegistryUnavailableException.isCause(e), "the task fails, uncommitted: " + e);
    assertTrue(dlq.isEmpty(), "a valid request is never dead-lettered for an outage");
    assertTrue(completions.isEmpty());
    assertFalse(availability.isAvailable());
  }

  @Test
  void aRequestIdSeenAgainWithinTheWindowIsAnsweredOnce() {
    for (int i = 0; i < 4; i++) {
      requests.pipeInput("d" + i, TestRequests.generate("d" + i, "first copy"));
    }
    requests.pipeInput("d0", TestRequests.generate("d0", "re-sent")); // a producer retry
    requests.pipeInput("d1", TestRequests.generate("d1", "re-sent"));
    advance(1_000);
    assertEquals(
        List.of("d0", "d1", "d2", "d3"),
        completions.readValuesToList().stream().map(Completion::getRequestId).sorted().toList());
    assertEquals(4, audits.readValuesToList().size(), "one audit per request id");

    advance(config.intValue(ArmguardConfig.DEDUPE_WINDOW_MS) + 1L); // the window has passed
    for (int i = 0; i < 4; i++) {
      requests.pipeInput("d" + i, TestRequests.generate("d" + i, "much later"));
    }
    assertEquals(4, completions.readValuesToList().size(), "answered again after the window");
  }

  @Test
  void eachDeadLetterIsOneShortRateLimitedLineAndACount() {
    driver.close();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    config = config.with(Map.of());
    Properties props = ArmguardTopology.streamsProperties(config);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    props.put(DeadLetterHandler.METRICS_CONFIG, new PipelineMetrics(meters));
    driver =
        new TopologyTestDriver(
            ArmguardTopology.buildTopology(
                config,
                serdes,
                new EnginePool(() -> engine),
                new PipelineMetrics(meters),
                clock::get),
            props,
            Instant.ofEpochMilli(0));
    TestInputTopic<byte[], byte[]> raw =
        driver.createInputTopic(
            config.requestsTopic(), new ByteArraySerializer(), new ByteArraySerializer());
    try (LogCapture handler = new LogCapture(DeadLetterHandler.class.getName());
        LogCapture kafka =
            new LogCapture("org.apache.kafka.streams.processor.internals.RecordDeserializer")) {
      for (int i = 0; i < 30; i++) {
        raw.pipeInput(("k" + i).getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 99, 1});
      }
      List<LogCapture.Line> lines =
          handler.lines().stream().filter(l -> l.message().startsWith("dead letter")).toList();
      assertTrue(lines.size() >= 10 && lines.size() < 30, "rate-limited: " + lines.size());
      for (LogCapture.Line l : lines) {
        assertFalse(l.hasThrowable(), "no stack trace in the log: " + l);
        assertFalse(l.message().contains("\n"), "one line: " + l);
        for (String field :
            List.of("node=", "task=", "topic=", "partition=", "offset=", "reason=")) {
          assertTrue(l.message().contains(field), field + " in " + l.message());
        }
      }
      assertTrue(
          kafka.lines().stream().noneMatch(l -> l.message().contains("Skipping record")),
          "Kafka's own per-record warning (with a stack trace) is silenced");
    }
    assertEquals(
        30.0,
        meters
            .get("armguard.dead.letters")
            .tag("reason", "org.apache.kafka.common.errors.SerializationException")
            .counter()
            .count());
  }
}
