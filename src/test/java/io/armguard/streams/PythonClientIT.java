package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.armguard.cli.RandomModelDirs;
import io.armguard.config.ArmguardConfig;
import io.armguard.decode.DecodingModels;
import io.armguard.testing.ApicurioRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-client check: Debian's python3-confluent-kafka (legacy confluent_kafka.avro API, a client
 * armguard did not write) produces requests through a real KRaft broker and a real schema registry
 * (Apicurio's Confluent API); armguard's topology answers them; the Python client reads the
 * completions and audit records back. Skips, saying why, without python3-confluent-kafka or a Java
 * 21+ runtime for the registry.
 */
class PythonClientIT {

  private static final String PYTHON = "/usr/bin/python3";
  private static final Path CLIENT = Path.of("src/test/python/armguard_client.py");

  @TempDir static Path tmp;

  static EmbeddedBroker broker;
  static ApicurioRegistry registry;
  static DecodingModels models;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(
        pythonClientAvailable(),
        "python3-confluent-kafka + python3-avro not installed for "
            + PYTHON
            + " (apt-get install python3-confluent-kafka python3-avro; .ci/run does)");
    registry = ApicurioRegistry.startOrSkip();
    broker = EmbeddedBroker.start();
    RandomModelDirs.Dirs dirs = RandomModelDirs.write(tmp.resolve("models"), 5);
    models = DecodingModels.load(dirs.lm(), List.of(dirs.reward()), "cpu", 1);
  }

  @AfterAll
  static void stop() throws Exception {
    if (models != null) {
      models.close();
    }
    if (broker != null) {
      broker.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void pythonRequestsAreAnsweredAndPythonReadsTheAnswers() throws Exception {
    ArmguardConfig config =
        ArmguardConfig.from(
            Map.of(
                "application.id", "armguard-python-it",
                "bootstrap.servers", broker.bootstrapServers(),
                "schema.registry.url", registry.url(),
                "state.dir", tmp.resolve("state").toString(),
                "batch.size", "2",
                "batch.max.delay.ms", "100",
                "http.port", "-1",
                "decode.max.new.tokens", "8"),
            Map.of());
    broker.createTopics(
        1,
        List.of(
            config.requestsTopic(),
            config.completionsTopic(),
            config.auditTopic(),
            config.dlqTopic()));
    int count = 4;
    try (ArmguardService service =
        new ArmguardService(
            config, TopologySerdes.fromConfig(config), new EnginePool(models::newEngine))) {
      assertTrue(service.awaitRunning(Duration.ofSeconds(60)), "state " + service.state());

      List<String> sent =
          run("produce", "--count", String.valueOf(count), "--prefix", "py").stream()
              .filter(l -> l.matches("py-\\d+"))
              .toList();
      assertEquals(count, sent.size(), "python produced " + sent);

      List<String> lines = run("consume", "--count", String.valueOf(count), "--timeout", "150");
      Map<String, Set<String>> idsByTopic = new HashMap<>();
      Map<String, Integer> records = new HashMap<>();
      for (String line : lines) {
        if (!line.startsWith("{")) {
          continue;
        }
        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
        String topic = o.get("topic").getAsString();
        JsonObject value = o.getAsJsonObject("value");
        idsByTopic
            .computeIfAbsent(topic, t -> new HashSet<>())
            .add(value.get("request_id").getAsString());
        records.merge(topic, 1, Integer::sum);
        if (topic.equals(config.completionsTopic())) {
          String action = value.get("action").getAsString();
          assertTrue(
              List.of("GENERATED", "ALLOWED", "REWRITTEN", "REDACTED", "BLOCKED").contains(action),
              line);
        }
      }
      assertEquals(
          Set.copyOf(sent),
          idsByTopic.get(config.completionsTopic()),
          "one completion per request");
      assertEquals(Set.copyOf(sent), idsByTopic.get(config.auditTopic()), "one audit per request");
      assertEquals(count, records.get(config.completionsTopic()));
      assertEquals(count, records.get(config.auditTopic()));
    }
  }

  private List<String> run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(PYTHON, CLIENT.toString()));
    command.add(args[0]);
    command.addAll(List.of("--bootstrap", broker.bootstrapServers(), "--registry", registry.url()));
    command.addAll(List.of(args).subList(1, args.length));
    Path out = Files.createTempFile(tmp, "python", ".out");
    Process p =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(200, TimeUnit.SECONDS), "python client timed out: " + command);
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertEquals(
        0, p.exitValue(), "python client failed: " + command + "\n" + String.join("\n", lines));
    return lines;
  }

  private static boolean pythonClientAvailable() {
    try {
      Process p =
          new ProcessBuilder(PYTHON, "-c", "import confluent_kafka.avro, avro")
              .redirectErrorStream(true)
              .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
