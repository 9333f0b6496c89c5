package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.cli.RandomModelDirs;
import io.armguard.config.ArmguardConfig;
import io.armguard.decode.DecodingModels;
import io.armguard.schema.Action;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.Completion;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.Strategy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service against a real single-node KRaft broker (KafkaClusterTestKit), exactly-once v2,
 * real (small, randomly initialised) models: both modes, REJECTED and dead-letter paths, and
 * exactly one completion and one audit record per request as seen by a read_committed consumer.
 */
class ArmguardPipelineIT {

  @TempDir static Path tmp;

  static EmbeddedBroker broker;
  static DecodingModels models;
  static ArmguardConfig config;
  static TopologySerdes serdes;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start();
    RandomModelDirs.Dirs dirs = RandomModelDirs.write(tmp.resolve("models"), 3);
    models = DecodingModels.load(dirs.lm(), List.of(dirs.reward()), "cpu", 1);
    config =
        ArmguardConfig.from(
            Map.of(
                "application.id", "armguard-it",
                "bootstrap.servers", broker.bootstrapServers(),
                "state.dir", tmp.resolve("state").toString(),
                "batch.size", "4",
                "batch.max.delay.ms", "100",
                "http.port", "0",
                "instance.id", "it-1",
                "decode.max.new.tokens", "8",
                "rewrite.max.attempts", "1",
                "schema.registry.url", "mock://armguard-it"),
            Map.of());
    broker.createTopics(
        2,
        List.of(
            config.requestsTopic(),
            config.completionsTopic(),
            config.auditTopic(),
            config.dlqTopic()));
    serdes = TestSerdes.create("armguard-it");
  }

  @AfterAll
  static void stop() throws Exception {
    if (models != null) {
      models.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private static GenerationRequest withThreshold(GenerationRequest r, float t) {
    r.setToxicityThreshold(t);
    return r;
  }

  @Test
  void everyRequestGetsExactlyOneCompletionAndOneAuditOrADeadLetter() throws Exception {
    GenerationRequest unguided = TestRequests.generate("gen-unguided", "You are such a");
    unguided.setStrategy(Strategy.UNGUIDED);
    GenerationRequest noResponse = TestRequests.moderate("bad-no-response", "q", null);
    GenerationRequest badK = TestRequests.generate("bad-top-k", "hello");
    badK.setTopK(0);
    List<GenerationRequest> requests =
        List.of(
            TestRequests.generate("gen-arm-1", "The weather today is"),
            TestRequests.generate("gen-arm-2", "Once upon a time"),
            unguided,
            // threshold 1: scores are clamped to [0,1] and a random model never reaches 1
            withThreshold(
                TestRequests.moderate("mod-allowed", "How are you?", "Fine, thanks."), 1f),
            // threshold 0: every prefix is "toxic", every rewrite too: BLOCKED after 1 attempt
            withThreshold(TestRequests.moderate("mod-blocked", "Hi", "Some response text."), 0f),
            TestRequests.moderate("mod-default", "What do you think?", "I think you are wrong."),
            noResponse,
            badK);

    try (ArmguardService service =
            new ArmguardService(
                config, serdes, new EnginePool(models::newEngine, models.loaded()));
        KafkaProducer<String, GenerationRequest> producer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(),
                serdes.request().serializer());
        KafkaProducer<byte[], byte[]> raw =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        OutputCollector out = new OutputCollector(config, serdes, 2)) {
      assertTrue(service.awaitRunning(Duration.ofSeconds(60)), "state " + service.state());
      for (GenerationRequest r : requests) {
        producer.send(new ProducerRecord<>(config.requestsTopic(), r.getRequestId(), r));
      }
      raw.send(
          new ProducerRecord<>(
              config.requestsTopic(),
              "garbage".getBytes(StandardCharsets.UTF_8),
              "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8)));
      producer.flush();
      raw.flush();

      boolean done = out.await(8, 8, 1, Duration.ofSeconds(120), Duration.ofSeconds(3), c -> {});
      assertTrue(
          done,
          "got "
              + out.completions().size()
              + " completions, "
              + out.audits().size()
              + " audits, "
              + out.deadLetters().size()
              + " dead letters");

      // exactly one of each per request, nothing extra after lingering
      assertEquals(8, out.completions().size());
      assertEquals(8, out.audits().size());
      assertEquals(1, out.deadLetters().size());
      Map<String, Completion> byId =
          out.completions().stream()
              .map(OutputCollector.Received::completion)
              .collect(Collectors.toMap(Completion::getRequestId, Function.identity()));
      Map<String, AuditRecord> audits = new HashMap<>();
      out.audits().forEach(a -> assertNull(audits.put(a.getRequestId(), a), "duplicate audit"));
      assertEquals(byId.keySet(), audits.keySet());

      for (String id : List.of("gen-arm-1", "gen-arm-2", "gen-unguided")) {
        assertEquals(Action.GENERATED, byId.get(id).getAction(), id);
        assertTrue(byId.get(id).getLmModel().startsWith("lm@"), byId.get(id).getLmModel());
        assertNotNull(audits.get(id).getDecoding(), id);
        assertTrue(audits.get(id).getTimings().getBatchSize() >= 1);
      }
      assertEquals(Strategy.UNGUIDED, audits.get("gen-unguided").getDecoding().getStrategy());
      assertEquals(Action.ALLOWED, byId.get("mod-allowed").getAction());
      assertEquals("Fine, thanks.", byId.get("mod-allowed").getText());
      Completion blocked = byId.get("mod-blocked");
      assertEquals(Action.BLOCKED, blocked.getAction());
      assertEquals(config.rewriteFallbackText(), blocked.getText());
      assertEquals(0, audits.get("mod-blocked").getRewrittenSpan().getBegin());
      assertEquals(19, audits.get("mod-blocked").getRewrittenSpan().getEnd());
      // nothing of it is kept: by default (rewrite.empty.prefix=false) no rewrite is tried
      assertEquals(0, audits.get("mod-blocked").getRewriteAttempts());
      assertTrue(
          List.of(Action.ALLOWED, Action.REWRITTEN, Action.REDACTED, Action.BLOCKED)
              .contains(byId.get("mod-default").getAction()));
      assertEquals(Action.REJECTED, byId.get("bad-no-response").getAction());
      assertEquals("validate", audits.get("bad-no-response").getStage());
      assertEquals(Action.REJECTED, byId.get("bad-top-k").getAction());
      assertEquals(config.requestsTopic(), audits.get("gen-arm-1").getSource().getTopic());

      var dead = out.deadLetters().get(0);
      assertEquals("{\"not\": \"avro\"}", new String(dead.value(), StandardCharsets.UTF_8));
      assertNotNull(dead.headers().lastHeader("__streams.errors.exception"));
      assertNotNull(dead.headers().lastHeader("__streams.errors.message"));

      HttpClient http = HttpClient.newHttpClient();
      String base = "http://localhost:" + service.httpPort();
      assertEquals(200, get(http, base + "/health").statusCode());
      assertEquals(200, get(http, base + "/ready").statusCode());
      String metrics = get(http, base + "/metrics").body();
      assertTrue(metrics.contains("armguard_batch_size"), "armguard metrics exported");
      assertTrue(metrics.contains("armguard_completions_total"), "action counters exported");
      assertTrue(metrics.contains("kafka_stream"), "Kafka Streams metrics bound");
      assertTrue(metrics.contains("armguard_decode_seconds_bucket{le=\"+Inf\"}"), metrics);
      assertTrue(metrics.contains("armguard_queue_wait_seconds_bucket{le=\"0.001\"}"), metrics);
      for (var m : models.loaded()) {
        assertTrue(
            metrics.contains(
                "armguard_model_info{name=\""
                    + m.name()
                    + "\",role=\""
                    + m.role()
                    + "\",sha256=\""
                    + m.sha256()
                    + "\"} 1"),
            "model info of " + m);
      }
      assertTrue(metrics.contains("jvm_memory_used_bytes{"), "JVM metrics bound");
      assertTrue(metrics.contains("process_cpu_usage"), "process metrics bound");
      assertTrue(
          metrics.contains(
              "armguard_dead_letters_total{reason=\""
                  + new String(
                      dead.headers().lastHeader("__streams.errors.exception").value(),
                      StandardCharsets.UTF_8)
                  + "\"} 1"),
          "the dead letter counted under its header's reason: " + metrics);
    }
  }

  @Test
  void requestsBufferedWhenAnInstanceStopsAreAnsweredAfterRestoringTheStoreFromItsChangelog()
      throws Exception {
    // A long delay and a big batch: the requests sit in the buffer store when the instance stops.
    ArmguardConfig slow =
        config.with(
            Map.of(
                "application.id", "armguard-it-restore",
                "topic.requests", "restore.requests",
                "topic.completions", "restore.completions",
                "topic.audit", "restore.audit",
                "topic.dlq", "restore.dlq",
                "batch.size", "16",
                "batch.max.delay.ms", "30000",
                // size/delay batching holds the requests in the store (continuous would decode
                // them)
                "decode.scheduler", "instance",
                "http.port", "-1",
                "state.dir", tmp.resolve("state-restore-1").toString()));
    broker.createTopics(
        2,
        List.of(slow.requestsTopic(), slow.completionsTopic(), slow.auditTopic(), slow.dlqTopic()));
    List<GenerationRequest> requests =
        List.of(
            TestRequests.generate("buffered-1", "The weather today is"),
            TestRequests.generate("buffered-2", "Once upon a time"),
            withThreshold(TestRequests.moderate("buffered-3", "Hi", "Hello there."), 1f));
    try (OutputCollector out = new OutputCollector(slow, serdes, 2)) {
      try (ArmguardService first =
              new ArmguardService(slow, serdes, new EnginePool(models::newEngine));
          KafkaProducer<String, GenerationRequest> producer =
              new KafkaProducer<>(
                  Map.of("bootstrap.servers", broker.bootstrapServers()),
                  new StringSerializer(),
                  serdes.request().serializer())) {
        assertTrue(first.awaitRunning(Duration.ofSeconds(60)));
        for (GenerationRequest r : requests) {
          producer.send(new ProducerRecord<>(slow.requestsTopic(), r.getRequestId(), r));
        }
        producer.flush();
        // The premise: the instance has buffered all three and committed that (the changelog
        // records are transactional: visible to read_committed only with the input offsets).
        assertEquals(
            3,
            committedRecords(
                "armguard-it-restore-" + ArmguardTopology.BUFFER_STORE + "-changelog",
                3,
                Duration.ofSeconds(60)),
            "all three buffered and committed before the stop");
      }
      assertEquals(0, out.completions().size(), "nothing answered before the stop");
      // A new instance with an EMPTY state directory: the buffer comes back from the changelog.
      ArmguardConfig fast =
          slow.with(
              Map.of(
                  "batch.max.delay.ms",
                  "100",
                  "state.dir",
                  tmp.resolve("state-restore-2").toString()));
      try (ArmguardService second =
          new ArmguardService(fast, serdes, new EnginePool(models::newEngine))) {
        assertTrue(second.awaitRunning(Duration.ofSeconds(60)));
        assertTrue(out.await(3, 3, 0, Duration.ofSeconds(60), Duration.ofSeconds(2), c -> {}));
      }
      assertEquals(
          List.of("buffered-1", "buffered-2", "buffered-3"),
          out.completions().stream().map(r -> r.completion().getRequestId()).sorted().toList());
      assertEquals(3, out.audits().size(), "exactly one audit each");
    }
  }

  /**
   * A few classes of the bad-input catalogue ({@link BadInputCatalogue}, tested in full under
   * TopologyTestDriver) on the real broker under exactly_once_v2, where dead letters are produced
   * in the stream thread's transaction: each between two valid requests, each where it belongs,
   * every neighbour answered once.
   */
  @Test
  void representativeBadInputGoesWhereItBelongsUnderExactlyOnce() throws Exception {
    ArmguardConfig bad =
        config.with(
            Map.of(
                "application.id", "armguard-it-bad",
                "topic.requests", "bad.requests",
                "topic.completions", "bad.completions",
                "topic.audit", "bad.audit",
                "topic.dlq", "bad.dlq",
                "state.dir", tmp.resolve("state-bad").toString()));
    broker.createTopics(
        2, List.of(bad.requestsTopic(), bad.completionsTopic(), bad.auditTopic(), bad.dlqTopic()));
    List<String> names =
        List.of(
            "unknown schema id",
            "trailing zero byte after a valid body",
            "invalid UTF-8 in prompt",
            "a 14-byte record claiming a 1 GB string",
            "newer writer's mode symbol (TRANSLATE)",
            "beta 1e30",
            "tombstone (null value)",
            "the same request id twice",
            "huge key (100 KB)");
    Map<String, BadInputCatalogue.Case> sent = new HashMap<>();
    Map<String, BadInputCatalogue.Ids> idsOf = new HashMap<>();
    int completions = 0;
    int deadLetters = 0;
    try (ArmguardService service =
            new ArmguardService(bad, serdes, new EnginePool(models::newEngine, models.loaded()));
        KafkaProducer<byte[], byte[]> raw =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        OutputCollector out = new OutputCollector(bad, serdes, 2)) {
      assertTrue(service.awaitRunning(Duration.ofSeconds(60)), "state " + service.state());
      for (int i = 0; i < names.size(); i++) {
        BadInputCatalogue.Ids ids = BadInputCatalogue.Ids.of("c" + i + "-");
        String name = names.get(i);
        BadInputCatalogue.Case c =
            BadInputCatalogue.all(
                    bad.requestsTopic(), "armguard-it", serdes.request().serializer(), ids)
                .stream()
                .filter(k -> k.name().equals(name))
                .findFirst()
                .orElseThrow();
        sent.put(c.name(), c);
        idsOf.put(c.name(), ids);
        for (String neighbour : List.of(ids.before(), "", ids.after())) {
          byte[] key = neighbour.isEmpty() ? c.key() : neighbour.getBytes(StandardCharsets.UTF_8);
          byte[] value =
              neighbour.isEmpty()
                  ? c.value()
                  : serdes
                      .request()
                      .serializer()
                      .serialize(bad.requestsTopic(), BadInputCatalogue.valid(neighbour));
          raw.send(new ProducerRecord<>(bad.requestsTopic(), key, value));
        }
        completions +=
            c.outcome() == BadInputCatalogue.Outcome.REJECTED
                    || c.outcome() == BadInputCatalogue.Outcome.ANSWERED
                ? 3
                : 2;
        deadLetters += c.outcome() == BadInputCatalogue.Outcome.DEAD_LETTER ? 1 : 0;
      }
      raw.flush();
      assertTrue(
          out.await(
              completions,
              completions,
              deadLetters,
              Duration.ofSeconds(120),
              Duration.ofSeconds(3),
              c -> {}),
          out.completions().size() + " completions, " + out.deadLetters().size() + " dead letters");
      assertEquals(completions, out.completions().size(), "exactly one completion each");
      assertEquals(completions, out.audits().size(), "exactly one audit each");
      assertEquals(deadLetters, out.deadLetters().size(), "exactly one dead letter each");

      Map<String, Completion> byId = new HashMap<>();
      out.completions()
          .forEach(r -> assertNull(byId.put(r.completion().getRequestId(), r.completion())));
      List<String> letters =
          out.deadLetters().stream()
              .map(
                  d ->
                      new String(
                          d.headers().lastHeader("__streams.errors.message").value(),
                          StandardCharsets.UTF_8))
              .toList();
      for (String name : names) {
        BadInputCatalogue.Case c = sent.get(name);
        BadInputCatalogue.Ids ids = idsOf.get(name);
        assertEquals(Action.GENERATED, byId.get(ids.before()).getAction(), name);
        assertEquals(Action.GENERATED, byId.get(ids.after()).getAction(), name);
        switch (c.outcome()) {
          case DEAD_LETTER ->
              assertEquals(1, letters.stream().filter(m -> m.contains(c.reason())).count(), name);
          case REJECTED -> assertTrue(byId.get(ids.bad()).getError().contains(c.reason()), name);
          case ANSWERED -> assertEquals(Action.GENERATED, byId.get(ids.bad()).getAction(), name);
          case TOMBSTONE, DUPLICATE -> assertNull(byId.get(ids.bad()), name);
        }
      }
      String metrics =
          get(HttpClient.newHttpClient(), "http://localhost:" + service.httpPort() + "/metrics")
              .body();
      assertTrue(metrics.contains("armguard_tombstones_total 1.0"), metrics);
      assertTrue(metrics.contains("armguard_duplicate_requests_total 1.0"), metrics);
    }
  }

  /** Reads {@code topic} read_committed until {@code expected} records or the timeout. */
  private static int committedRecords(String topic, int expected, Duration timeout) {
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                broker.bootstrapServers(),
                "isolation.level",
                "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> tps =
          c.partitionsFor(topic, timeout).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      int seen = 0;
      long deadline = System.nanoTime() + timeout.toNanos();
      while (seen < expected && System.nanoTime() < deadline) {
        seen += c.poll(Duration.ofMillis(200)).count();
      }
      return seen;
    }
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
