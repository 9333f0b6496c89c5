package io.armguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.armguard.config.ArmguardConfig;
import io.armguard.decode.DecodingModels;
import io.armguard.streams.ArmguardService;
import io.armguard.streams.EmbeddedBroker;
import io.armguard.streams.EnginePool;
import io.armguard.streams.TopologySerdes;
import io.armguard.testing.ApicurioRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code armguard produce} → the service → {@code armguard tail}, as an operator runs them against
 * a real cluster: a KRaft broker, a real schema registry (Apicurio's Confluent API; skipped, saying
 * why, where it cannot start), the service started from the same properties file the two commands
 * are given.
 */
class ProduceTailCommandIT {

  @TempDir static Path tmp;

  static EmbeddedBroker broker;
  static ApicurioRegistry registry;
  static DecodingModels models;
  static ArmguardService service;
  static ArmguardConfig config;
  static Path configFile;

  @BeforeAll
  static void start() throws Exception {
    registry = ApicurioRegistry.startOrSkip();
    String registryUrl = registry.url();
    broker = EmbeddedBroker.start();
    RandomModelDirs.Dirs dirs = RandomModelDirs.write(tmp.resolve("models"), 5);
    models = DecodingModels.load(dirs.lm(), List.of(dirs.reward()), "cpu", 1);
    Properties p = new Properties();
    p.putAll(
        Map.of(
            "application.id", "armguard-produce-tail-it",
            "bootstrap.servers", broker.bootstrapServers(),
            "schema.registry.url", registryUrl,
            "state.dir", tmp.resolve("state").toString(),
            "batch.size", "2",
            "batch.max.delay.ms", "100",
            "http.port", "-1",
            "decode.max.new.tokens", "8"));
    configFile = tmp.resolve("armguard.properties");
    try (var w = Files.newBufferedWriter(configFile)) {
      p.store(w, null);
    }
    config = ArmguardConfig.load(configFile);
    broker.createTopics(
        2,
        List.of(
            config.requestsTopic(),
            config.completionsTopic(),
            config.auditTopic(),
            config.dlqTopic(),
            config.string(ArmguardConfig.TOPIC_STREAM_IN)));
    service =
        new ArmguardService(
            config, TopologySerdes.fromConfig(config), new EnginePool(models::newEngine));
    assertTrue(service.awaitRunning(Duration.ofSeconds(60)), "state " + service.state());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {service, models, broker, registry}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          // keep closing the rest
        }
      }
    }
  }

  /** A command's exit code, stdout lines and stderr. */
  record Run(int code, List<String> out, String err) {}

  private static Run armguard(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = Main.commandLine().execute(args);
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
    return new Run(
        code,
        out.toString(StandardCharsets.UTF_8).lines().toList(),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void producedRequestsComeBackDecodedThroughTail() throws Exception {
    Path input = tmp.resolve("requests.jsonl");
    Files.writeString(
        input,
        String.join(
            "\n",
            "{\"id\": \"gen-1\", \"prompt\": \"The weather today is\", \"seed\": 7}",
            "{\"id\": \"typo\", \"promt\": \"a misspelt field\"}",
            "",
            "{\"id\": \"mod-it's\", \"prompt\": \"How was it?\", \"response\": \"It's fine.\"}",
            "not json"));
    Run produced =
        armguard("produce", "--config", configFile.toString(), "--input", "" + input, "--verbose");
    assertEquals(1, produced.code(), "bad lines make the exit code 1\n" + produced.err());
    assertTrue(produced.err().contains(input + ":2: unknown field \"promt\""), produced.err());
    assertTrue(produced.err().contains(input + ":5: not JSON"), produced.err());
    assertTrue(produced.err().contains("produce: 2 written to armguard.requests, 2 bad lines"));
    Map<String, String> positions = new HashMap<>();
    for (String line : produced.out()) {
      String[] parts = line.split(" ");
      assertEquals(2, parts.length, line);
      assertTrue(parts[1].matches("armguard\\.requests-[01]@\\d+"), line);
      positions.put(parts[0], parts[1]);
    }
    assertEquals(Set.of("gen-1", "mod-it's"), positions.keySet());

    Run flags = armguard("produce", "--config", configFile.toString(), "--generate", "Hello");
    assertEquals(0, flags.code(), flags.err());
    assertEquals(1, flags.out().size());
    String generatedId = flags.out().get(0);
    assertTrue(generatedId.matches("[0-9a-f-]{36}"), "a UUID: " + generatedId);

    Run completions =
        armguard(
            "tail",
            "completions",
            "--config",
            configFile.toString(),
            "--from-beginning",
            "--follow",
            "--max",
            "3",
            "--timeout",
            "PT120S",
            "--json");
    assertEquals(0, completions.code(), completions.err());
    Map<String, JsonObject> byId = new HashMap<>();
    for (String line : completions.out()) {
      assertFalse(line.contains("\\u0027"), "no HTML escaping: " + line);
      JsonObject o = JsonParser.parseString(line).getAsJsonObject();
      assertEquals(config.completionsTopic(), o.get("topic").getAsString());
      JsonObject value = o.getAsJsonObject("value");
      assertEquals(o.get("key").getAsString(), value.get("request_id").getAsString());
      byId.put(value.get("request_id").getAsString(), value);
    }
    assertEquals(Set.of("gen-1", "mod-it's", generatedId), byId.keySet());
    assertEquals("GENERATE", byId.get("gen-1").get("mode").getAsString());
    assertEquals("GENERATED", byId.get("gen-1").get("action").getAsString());
    assertEquals("MODERATE", byId.get("mod-it's").get("mode").getAsString());
    assertTrue(
        Set.of("ALLOWED", "REWRITTEN", "REDACTED", "BLOCKED")
            .contains(byId.get("mod-it's").get("action").getAsString()));

    // not following: stops at the end the topic had, which holds all three audit records
    Run audits =
        armguard("tail", "audit", "--config", configFile.toString(), "--from-beginning", "--json");
    assertEquals(0, audits.code(), audits.err());
    assertEquals(
        Set.of("gen-1", "mod-it's", generatedId),
        audits.out().stream()
            .map(l -> JsonParser.parseString(l).getAsJsonObject().getAsJsonObject("value"))
            .map(v -> v.get("request_id").getAsString())
            .collect(Collectors.toSet()));

    Run pretty =
        armguard(
            "tail",
            "completions",
            "-b",
            broker.bootstrapServers(),
            "--config",
            configFile.toString(),
            "--from-beginning",
            "--id",
            "gen-1");
    assertEquals(0, pretty.code(), pretty.err());
    assertTrue(pretty.out().get(0).startsWith("[gen-1] GENERATE GENERATED"), pretty.out().get(0));
    assertTrue(pretty.err().contains("tail: 1 record from armguard.completions"), pretty.err());

    assertEquals(
        Set.of(config.applicationId()),
        broker.admin().listConsumerGroups().all().get().stream()
            .map(ConsumerGroupListing::groupId)
            .collect(Collectors.toSet()),
        "produce and tail leave no consumer group behind");
  }

  @Test
  void aRecordThatIsNotAvroIsTailedFromTheDeadLetterTopic() throws Exception {
    try (KafkaProducer<byte[], byte[]> raw =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", broker.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      raw.send(
              new ProducerRecord<>(
                  config.requestsTopic(),
                  "raw-1".getBytes(StandardCharsets.UTF_8),
                  "not avro".getBytes(StandardCharsets.UTF_8)))
          .get();
    }
    Run dlq =
        armguard(
            "tail",
            "dlq",
            "--config",
            configFile.toString(),
            "--from-beginning",
            "--follow",
            "--id",
            "raw-1",
            "--max",
            "1",
            "--timeout",
            "PT60S",
            "--json");
    assertEquals(0, dlq.code(), dlq.err());
    JsonObject o = JsonParser.parseString(dlq.out().get(0)).getAsJsonObject();
    assertEquals("not avro", o.get("value").getAsString());
    JsonObject headers = o.getAsJsonObject("headers");
    assertEquals(config.requestsTopic(), headers.get("__streams.errors.topic").getAsString());
    assertTrue(headers.has("__streams.errors.exception"), o.toString());

    Run pretty =
        armguard(
            "tail", "dlq", "--config", configFile.toString(), "--from-beginning", "--id", "raw-1");
    assertTrue(
        pretty
            .out()
            .get(0)
            .matches(
                "\\[armguard\\.dlq-\\d@\\d+\\] key=\"raw-1\" from "
                    + "armguard\\.requests-\\d@\\d+: .+"),
        pretty.out().get(0));
    assertEquals("    value: \"not avro\"", pretty.out().get(1));
  }

  @Test
  void produceStreamReplaysAReplyAsChunksAtTheTokenRate() throws Exception {
    String reply = "Basil likes warmth and light, so put the pot on a sunny windowsill.";
    long t0 = System.nanoTime();
    Run produced =
        armguard(
            "produce",
            "--config",
            configFile.toString(),
            "--stream",
            "--id",
            "stream-1",
            "--prompt",
            "How do I keep basil alive?",
            "--reply",
            reply,
            "--rate",
            "100",
            "--tokens-per-chunk",
            "2",
            "--holdback-tokens",
            "4",
            "--on-flag",
            "block");
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(0, produced.code(), produced.err());
    assertEquals(List.of("stream-1"), produced.out());
    int tokens = io.armguard.streams.ReplyChunker.tokens(reply).size();
    int chunks = (tokens + 1) / 2;
    assertTrue(
        produced.err().contains("stream stream-1: " + chunks + " of " + chunks + " chunks written"),
        produced.err());
    assertTrue(seconds >= (tokens - 1) / 100.0, "paced at 100 tokens/s: took " + seconds + " s");
    List<io.armguard.schema.ReplyChunk> got = new java.util.ArrayList<>();
    try (var reader =
        new org.apache.kafka.clients.consumer.KafkaConsumer<>(
            Map.<String, Object>of(
                "bootstrap.servers",
                broker.bootstrapServers(),
                "isolation.level",
                "read_committed"),
            new org.apache.kafka.common.serialization.StringDeserializer(),
            io.armguard.streams.StreamSerdes.fromConfig(config).chunk().deserializer())) {
      String topic = config.string(ArmguardConfig.TOPIC_STREAM_IN);
      var parts =
          reader.partitionsFor(topic).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition()))
              .toList();
      reader.assign(parts);
      reader.seekToBeginning(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (got.size() < chunks && System.nanoTime() < deadline) {
        reader.poll(Duration.ofMillis(200)).forEach(r -> got.add(r.value()));
      }
    }
    assertEquals(chunks, got.size());
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < got.size(); i++) {
      assertEquals(i, got.get(i).getSeq(), "one partition per key: in seq order");
      assertEquals("stream-1", got.get(i).getStreamId());
      assertEquals(i == got.size() - 1, got.get(i).getFinal$());
      text.append(got.get(i).getText());
    }
    assertEquals(reply, text.toString());
    assertEquals("How do I keep basil alive?", got.get(0).getPrompt());
    // per-stream settings ride on the first chunk only; unset ones stay null (the service's)
    assertEquals(4, got.get(0).getHoldbackTokens());
    assertEquals("block", got.get(0).getOnFlag());
    assertEquals(null, got.get(0).getToxicityThreshold());
    assertEquals(null, got.get(1).getHoldbackTokens());
  }

  @Test
  void schemasRegisterRegistersEverySubjectOnceAndThenLeavesThemAlone() {
    String[] args = {
      "schemas",
      "register",
      "--config",
      configFile.toString(),
      "--set",
      "application.id=schemas-it",
      "--set",
      "topic.requests=schemas-it.requests",
      "--set",
      "topic.completions=schemas-it.completions",
      "--set",
      "topic.audit=schemas-it.audit"
    };
    List<String> subjects =
        List.of(
            "schemas-it.requests-value",
            "schemas-it.completions-value",
            "schemas-it.audit-value",
            "schemas-it-micro-batch-buffer-changelog-value");
    Run dry = armguard(append(args, "--dry-run"));
    assertEquals(0, dry.code(), dry.err());
    assertEquals(
        subjects,
        dry.out().stream().map(l -> l.split(" ")[0]).toList(),
        "in the order they are registered");
    assertEquals(
        "schemas-it.requests-value io.armguard.schema.GenerationRequest", dry.out().get(0));

    Run first = armguard(args);
    assertEquals(0, first.code(), first.err());
    for (int i = 0; i < subjects.size(); i++) {
      assertTrue(
          first.out().get(i).matches(subjects.get(i) + " registered id \\d+"), first.out().get(i));
    }
    assertTrue(first.err().contains("4 subjects at " + registry.url() + ", 4 registered"));
    Run again = armguard(args);
    assertEquals(0, again.code(), again.err());
    for (int i = 0; i < subjects.size(); i++) {
      String id = first.out().get(i).substring(first.out().get(i).lastIndexOf(' ') + 1);
      assertEquals(subjects.get(i) + " unchanged id " + id, again.out().get(i));
    }
    assertTrue(again.err().contains("0 registered, 4 unchanged"), again.err());
  }

  private static String[] append(String[] args, String more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = more;
    return all;
  }

  @Test
  void aMissingTopicIsOneClearLine() {
    Run run =
        armguard(
            "tail",
            "completions",
            "--config",
            configFile.toString(),
            "--from-beginning",
            "--set",
            "topic.completions=no.such.topic");
    assertEquals(1, run.code());
    assertTrue(run.err().contains("no such topic: no.such.topic"), run.err());
  }
}
