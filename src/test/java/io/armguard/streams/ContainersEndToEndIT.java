package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.cli.RandomModelDirs;
import io.armguard.config.ArmguardConfig;
import io.armguard.decode.DecodingModels;
import io.armguard.schema.Completion;
import io.armguard.schema.GenerationRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * armguard against the images it is deployed next to (docker/compose.yaml): Apache Kafka in KRaft
 * mode and Confluent Schema Registry, in containers. Skipped where no Docker daemon runs (the
 * report says so); the real-broker tests ({@link ArmguardPipelineIT}, {@link PythonClientIT}) cover
 * the same paths everywhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainersEndToEndIT {

  static final Network NETWORK = Network.newNetwork();

  @Container
  static final KafkaContainer KAFKA =
      new KafkaContainer("apache/kafka:4.1.0")
          .withNetwork(NETWORK)
          .withNetworkAliases("kafka")
          .withListener("kafka:19092");

  @Container
  static final GenericContainer<?> REGISTRY =
      new GenericContainer<>("confluentinc/cp-schema-registry:7.9.0")
          .withNetwork(NETWORK)
          .withExposedPorts(8081)
          .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
          .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
          .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
          .dependsOn(KAFKA)
          .waitingFor(Wait.forHttp("/subjects").forStatusCode(200));

  @TempDir static Path tmp;

  @Test
  void requestsThroughKafkaAndConfluentSchemaRegistryContainers() throws Exception {
    String registryUrl = "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8081);
    ArmguardConfig config =
        ArmguardConfig.from(
            Map.of(
                "application.id", "armguard-containers-it",
                "bootstrap.servers", KAFKA.getBootstrapServers(),
                "schema.registry.url", registryUrl,
                "state.dir", tmp.resolve("state").toString(),
                "batch.size", "2",
                "http.port", "-1",
                "decode.max.new.tokens", "8"),
            Map.of());
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.getBootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(config.requestsTopic(), 2, (short) 1),
                  new NewTopic(config.completionsTopic(), 2, (short) 1),
                  new NewTopic(config.auditTopic(), 2, (short) 1),
                  new NewTopic(config.dlqTopic(), 1, (short) 1)))
          .all()
          .get();
    }
    RandomModelDirs.Dirs dirs = RandomModelDirs.write(tmp.resolve("models"), 11);
    TopologySerdes serdes = TopologySerdes.fromConfig(config);
    try (DecodingModels models = DecodingModels.load(dirs.lm(), List.of(dirs.reward()), "cpu", 1);
        ArmguardService service =
            new ArmguardService(config, serdes, new EnginePool(models::newEngine));
        KafkaProducer<String, GenerationRequest> producer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", KAFKA.getBootstrapServers()),
                new StringSerializer(),
                serdes.request().serializer());
        OutputCollector out = new OutputCollector(config, serdes, 2)) {
      assertTrue(service.awaitRunning(Duration.ofSeconds(90)), "state " + service.state());
      List<GenerationRequest> requests =
          List.of(
              TestRequests.generate("tc-gen", "The weather today is"),
              TestRequests.moderate("tc-mod", "How are you?", "Fine, thanks."));
      for (GenerationRequest r : requests) {
        producer.send(new ProducerRecord<>(config.requestsTopic(), r.getRequestId(), r));
      }
      producer.flush();
      assertTrue(out.await(2, 2, 0, Duration.ofSeconds(120), Duration.ofSeconds(2), c -> {}));
      Set<String> answered =
          out.completions().stream()
              .map(OutputCollector.Received::completion)
              .map(Completion::getRequestId)
              .collect(Collectors.toSet());
      assertEquals(Set.of("tc-gen", "tc-mod"), answered);
      assertEquals(2, out.audits().size());
    }
  }
}
