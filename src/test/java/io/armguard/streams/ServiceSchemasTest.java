package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.config.ArmguardConfig;
import io.armguard.moderate.WordListEngine;
import io.armguard.schema.Completion;
import io.armguard.schema.ReleasedChunk;
import io.armguard.schema.ReplyChunk;
import io.armguard.serde.InMemorySchemaRegistry;
import io.armguard.serde.SchemaRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The subjects {@code armguard schemas register} registers are exactly what the topology needs when
 * nothing may be auto-registered: with them (and {@code use.latest.version}) both sub-topologies
 * answer; without the buffer's changelog subject no request is answered.
 */
class ServiceSchemasTest {

  @TempDir Path stateDir;

  private final AtomicLong clock = new AtomicLong();
  private TopologyTestDriver driver;
  private EnginePool pool;

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
    if (pool != null) {
      pool.close();
    }
  }

  private ArmguardConfig config(String scope, boolean stream) {
    Map<String, String> props = new HashMap<>();
    props.put("application.id", "schemas-ttd");
    props.put("schema.registry.url", "mock://" + scope);
    props.put("auto.register.schemas", "false");
    props.put("use.latest.version", "true");
    props.put("stream.enabled", Boolean.toString(stream));
    props.put("stream.holdback.tokens", "2");
    props.put("batch.size", "2");
    props.put("batch.max.delay.ms", "20");
    props.put("batch.max.in.flight", "0");
    props.put("transaction.timeout.ms", "60000");
    props.put("rewrite.min.new.tokens", "2");
    props.put("state.dir", stateDir.toString());
    return ArmguardConfig.from(props, Map.of());
  }

  @Test
  void subjectsFollowTheConfiguredTopicsAndApplicationId() {
    ArmguardConfig config = config("schemas-names", false);
    assertEquals(
        List.of(
            "armguard.requests-value",
            "armguard.completions-value",
            "armguard.audit-value",
            "schemas-ttd-micro-batch-buffer-changelog-value"),
        ServiceSchemas.of(config).stream().map(ServiceSchemas.Subject::subject).toList());
    assertEquals(
        List.of(
            "armguard.requests-value",
            "armguard.completions-value",
            "armguard.audit-value",
            "armguard.stream.in-value",
            "armguard.stream.out-value",
            "schemas-ttd-micro-batch-buffer-changelog-value",
            "schemas-ttd-stream-state-changelog-value"),
        ServiceSchemas.of(config("schemas-names", true)).stream()
            .map(ServiceSchemas.Subject::subject)
            .toList());
  }

  @Test
  void withTheListedSubjectsRegisteredBothSubTopologiesAnswer() {
    String scope = "schemas-all-" + System.nanoTime();
    ArmguardConfig config = config(scope, true);
    register(scope, ServiceSchemas.of(config), s -> true);
    open(config);
    requests(config).pipeInput("g1", TestRequests.generate("g1", "once upon a time"));
    requests(config).pipeInput("m1", TestRequests.moderate("m1", "how are you", "fine thanks"));
    chunks(config)
        .pipeInput(
            "s1",
            ReplyChunk.newBuilder()
                .setStreamId("s1")
                .setSeq(0)
                .setPrompt("How was it?")
                .setText("It was fine.")
                .setFinal$(true)
                .build());
    advance(50);
    assertEquals(Map.of("g1", true, "m1", true), answered(config));
    List<ReleasedChunk> released =
        driver
            .createOutputTopic(
                config.string(ArmguardConfig.TOPIC_STREAM_OUT),
                Serdes.String().deserializer(),
                StreamSerdes.fromConfig(config).released().deserializer())
            .readValuesToList();
    assertTrue(released.stream().anyMatch(ReleasedChunk::getFinal$), released.toString());
  }

  @Test
  void withoutTheBufferChangelogSubjectNoRequestIsAnswered() {
    String scope = "schemas-partial-" + System.nanoTime();
    ArmguardConfig config = config(scope, false);
    register(scope, ServiceSchemas.of(config), s -> !s.subject().contains("changelog"));
    open(config);
    try {
      requests(config).pipeInput("g1", TestRequests.generate("g1", "once upon a time"));
      advance(50);
    } catch (RuntimeException expected) {
      // the buffer store cannot serialize the request: how that surfaces is Kafka's choice
    }
    assertEquals(Map.of(), answered(config));
  }

  private static void register(
      String scope,
      List<ServiceSchemas.Subject> subjects,
      Predicate<ServiceSchemas.Subject> which) {
    SchemaRegistry registry = InMemorySchemaRegistry.scope(scope);
    subjects.stream().filter(which).forEach(s -> registry.register(s.subject(), s.schema()));
  }

  private void open(ArmguardConfig config) {
    WordListEngine engine = new WordListEngine();
    pool = new EnginePool(() -> engine);
    driver =
        new TopologyTestDriver(
            ArmguardTopology.buildTopology(
                config,
                TopologySerdes.fromConfig(config),
                pool,
                new PipelineMetrics(new SimpleMeterRegistry()),
                clock::get),
            ArmguardTopology.streamsProperties(config),
            Instant.ofEpochMilli(0));
  }

  private TestInputTopic<String, io.armguard.schema.GenerationRequest> requests(
      ArmguardConfig config) {
    return driver.createInputTopic(
        config.requestsTopic(),
        Serdes.String().serializer(),
        TopologySerdes.fromConfig(config).request().serializer());
  }

  private TestInputTopic<String, ReplyChunk> chunks(ArmguardConfig config) {
    return driver.createInputTopic(
        config.string(ArmguardConfig.TOPIC_STREAM_IN),
        Serdes.String().serializer(),
        StreamSerdes.fromConfig(config).chunk().serializer());
  }

  /** Request id → whether it has a completion, for every completion written. */
  private Map<String, Boolean> answered(ArmguardConfig config) {
    Map<String, Boolean> out = new HashMap<>();
    driver
        .createOutputTopic(
            config.completionsTopic(),
            Serdes.String().deserializer(),
            TopologySerdes.fromConfig(config).completion().deserializer())
        .readValuesToList()
        .stream()
        .map(Completion::getRequestId)
        .forEach(id -> out.put(id, true));
    return out;
  }

  private void advance(long ms) {
    clock.addAndGet(ms);
    driver.advanceWallClockTime(Duration.ofMillis(ms));
  }
}
