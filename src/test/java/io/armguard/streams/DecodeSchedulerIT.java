package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.cli.RandomModelDirs;
import io.armguard.config.ArmguardConfig;
import io.armguard.decode.DecodingModels;
import io.armguard.schema.Action;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.Completion;
import io.armguard.schema.GenerationRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The instance decode scheduler against a real KRaft broker, exactly-once v2, real random models,
 * four request partitions on one instance with two stream threads: one batch spans every task and
 * both threads, and every answer comes back exactly once through the task that read its request;
 * then a second instance joins while requests wait at the first one's scheduler, the revoked tasks'
 * queued work is dropped and their new owner answers it, still exactly once.
 */
class DecodeSchedulerIT {

  private static final int PARTITIONS = 4;

  @TempDir static Path tmp;

  static EmbeddedBroker broker;
  static DecodingModels models;
  static TopologySerdes serdes;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start();
    RandomModelDirs.Dirs dirs = RandomModelDirs.write(tmp.resolve("models"), 5);
    models = DecodingModels.load(dirs.lm(), List.of(dirs.reward()), "cpu", 1);
    serdes = TestSerdes.create("armguard-scheduler-it");
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

  private static ArmguardConfig config(String instance, String batchDelayMs) {
    return configOf(
        "armguard-scheduler-it",
        instance,
        Map.of(
            "decode.scheduler", "instance",
            "batch.size", "8",
            "batch.max.delay.ms", batchDelayMs,
            "decode.max.new.tokens", "4"));
  }

  /** {@code decode.scheduler=continuous} on topics and an application of its own. */
  private static ArmguardConfig continuous(String instance) {
    return configOf(
        "armguard-continuous-it",
        instance,
        Map.of(
            "decode.scheduler", "continuous",
            "batch.max.rows", "16",
            "decode.max.new.tokens", "16",
            "topic.requests", "c.requests",
            "topic.completions", "c.completions",
            "topic.audit", "c.audit",
            "topic.dlq", "c.dlq"));
  }

  /** Two stream threads on the shared broker, no HTTP, a state dir per application and instance. */
  private static ArmguardConfig configOf(
      String applicationId, String instance, Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(settings);
    all.put("application.id", applicationId);
    all.put("bootstrap.servers", broker.bootstrapServers());
    all.put("state.dir", tmp.resolve("state-" + applicationId + "-" + instance).toString());
    all.put("num.stream.threads", "2");
    all.put("http.port", "-1");
    all.put("instance.id", instance);
    all.put("schema.registry.url", "mock://" + applicationId);
    return ArmguardConfig.from(all, Map.of());
  }

  /** Sends {@code perPartition} requests to each partition; returns id → partition. */
  private static Map<String, Integer> send(
      KafkaProducer<String, GenerationRequest> producer,
      ArmguardConfig config,
      String prefix,
      int perPartition) {
    Map<String, Integer> sent = new HashMap<>();
    for (int i = 0; i < perPartition; i++) {
      for (int p = 0; p < PARTITIONS; p++) {
        String id = prefix + "-p" + p + "-" + i;
        GenerationRequest r =
            GenerationRequest.newBuilder(TestRequests.generate(id, "Once upon a time"))
                .setMaxNewTokens(4 + (i * PARTITIONS + p) % 13) // 4-16: short beside long
                .build();
        producer.send(new ProducerRecord<>(config.requestsTopic(), p, id, r));
        sent.put(id, p);
      }
    }
    producer.flush();
    return sent;
  }

  /** Exactly one completion and one audit per sent request, each from its own partition's task. */
  private static List<AuditRecord> assertAnsweredOnceByTheirTasks(
      OutputCollector out, Map<String, Integer> sent) {
    Map<String, Completion> completions = new HashMap<>();
    for (OutputCollector.Received r : out.completions()) {
      if (sent.containsKey(r.completion().getRequestId())) {
        assertNull(
            completions.put(r.completion().getRequestId(), r.completion()),
            "duplicate completion " + r.completion().getRequestId());
      }
    }
    Map<String, AuditRecord> audits = new HashMap<>();
    for (AuditRecord a : out.audits()) {
      if (sent.containsKey(a.getRequestId())) {
        assertNull(audits.put(a.getRequestId(), a), "duplicate audit " + a.getRequestId());
      }
    }
    assertEquals(sent.keySet(), completions.keySet());
    assertEquals(sent.keySet(), audits.keySet());
    sent.forEach(
        (id, partition) -> {
          assertEquals(Action.GENERATED, completions.get(id).getAction(), id);
          assertEquals((int) partition, audits.get(id).getSource().getPartition(), id);
        });
    return new ArrayList<>(audits.values());
  }

  @Test
  void batchesSpanTasksAndThreadsAndEveryAnswerReturnsOnceThroughItsTask() throws Exception {
    ArmguardConfig a = config("it-a", "15000");
    broker.createTopics(
        PARTITIONS, List.of(a.requestsTopic(), a.completionsTopic(), a.auditTopic(), a.dlqTopic()));
    try (ArmguardService first =
            new ArmguardService(a, serdes, new EnginePool(models::newEngine, models.loaded()));
        KafkaProducer<String, GenerationRequest> producer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(),
                serdes.request().serializer());
        OutputCollector out = new OutputCollector(a, serdes, PARTITIONS)) {
      assertTrue(first.awaitRunning(Duration.ofSeconds(60)), "state " + first.state());

      // 2 requests per partition = one full batch of 8 long before the 15 s delay: it can only
      // form across all four tasks (and both stream threads).
      Map<String, Integer> one = send(producer, a, "one", 2);
      assertTrue(out.await(8, 8, 0, Duration.ofSeconds(120), Duration.ofSeconds(1), c -> {}));
      List<AuditRecord> audits = assertAnsweredOnceByTheirTasks(out, one);
      assertTrue(
          audits.stream().allMatch(x -> x.getTimings().getBatchSize() == 8),
          "one batch across the four tasks: "
              + audits.stream().map(x -> x.getTimings().getBatchSize()).toList());

      // 1 request per partition waits at the scheduler (4 < batch.size, 15 s delay) when a
      // second instance joins: revoked tasks drop their queued requests, the new owner answers.
      Map<String, Integer> two = send(producer, a, "two", 1);
      try (ArmguardService second =
          new ArmguardService(
              config("it-b", "500"), serdes, new EnginePool(models::newEngine, models.loaded()))) {
        assertTrue(out.await(12, 12, 0, Duration.ofSeconds(120), Duration.ofSeconds(3), c -> {}));
        List<AuditRecord> moved = assertAnsweredOnceByTheirTasks(out, two);
        assertEquals(12, out.completions().size(), "nothing answered twice");
        assertEquals(12, out.audits().size());
        assertTrue(
            moved.stream().anyMatch(x -> x.getInstanceId().equals("it-b")),
            "some partitions moved to the new instance");
      }
    }
  }

  @Test
  void continuousBatchingSharesStepsAcrossTasksAndAnswersOnceThroughARebalance() throws Exception {
    ArmguardConfig a = continuous("c-a");
    broker.createTopics(
        PARTITIONS, List.of(a.requestsTopic(), a.completionsTopic(), a.auditTopic(), a.dlqTopic()));
    try (ArmguardService first =
            new ArmguardService(a, serdes, new EnginePool(models::newEngine, models.loaded()));
        KafkaProducer<String, GenerationRequest> producer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(),
                serdes.request().serializer());
        OutputCollector out = new OutputCollector(a, serdes, PARTITIONS)) {
      assertTrue(first.awaitRunning(Duration.ofSeconds(60)), "state " + first.state());

      // a burst of 40 requests of 4-16 tokens over four tasks and two stream threads
      Map<String, Integer> one = send(producer, a, "one", 10);
      assertTrue(out.await(40, 40, 0, Duration.ofSeconds(120), Duration.ofSeconds(1), c -> {}));
      List<AuditRecord> audits = assertAnsweredOnceByTheirTasks(out, one);
      double meanBatch =
          audits.stream().mapToInt(x -> x.getTimings().getBatchSize()).average().orElse(0);
      assertTrue(meanBatch > 2, "requests shared token steps across tasks: mean " + meanBatch);

      // a second burst, and a second instance joining while it decodes: still exactly once
      Map<String, Integer> two = send(producer, a, "two", 10);
      try (ArmguardService second =
          new ArmguardService(
              continuous("c-b"), serdes, new EnginePool(models::newEngine, models.loaded()))) {
        assertTrue(out.await(80, 80, 0, Duration.ofSeconds(120), Duration.ofSeconds(3), c -> {}));
        assertAnsweredOnceByTheirTasks(out, two);
        assertEquals(80, out.completions().size(), "nothing answered twice");
        assertEquals(80, out.audits().size());
      }
    }
  }
}
