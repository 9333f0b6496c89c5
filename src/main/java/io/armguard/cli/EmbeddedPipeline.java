package io.armguard.cli;

import io.armguard.config.ArmguardConfig;
import io.armguard.schema.GenerationRequest;
import io.armguard.streams.ArmguardService;
import io.armguard.streams.EmbeddedBroker;
import io.armguard.streams.TopologySerdes;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Everything {@code demo} and {@code bench pipeline} run: an in-process single-node KRaft broker
 * with armguard's topics, the models, and the armguard service pointed at them. Closing stops them
 * in reverse order and deletes the broker's and the state store's temporary data.
 */
final class EmbeddedPipeline implements AutoCloseable {

  private final EmbeddedBroker broker;
  private final ArmguardConfig config;
  private final TopologySerdes serdes;
  private final ServiceModels models;
  private final ArmguardService service;
  private final ScratchDirectory stateDir;

  private EmbeddedPipeline(
      ScratchDirectory stateDir,
      EmbeddedBroker broker,
      ArmguardConfig config,
      TopologySerdes serdes,
      ServiceModels models,
      ArmguardService service) {
    this.stateDir = stateDir;
    this.broker = broker;
    this.config = config;
    this.serdes = serdes;
    this.models = models;
    this.service = service;
  }

  /** Starts broker, topics, models and service; waits until the service is RUNNING. */
  static EmbeddedPipeline start(
      ArmguardConfig base, ServiceModels models, int partitions, PrintStream log) throws Exception {
    long t0 = System.nanoTime();
    EmbeddedBroker broker = EmbeddedBroker.start();
    // under the run directory, not the OS temp dir Kafka Streams warns about (it may be cleared)
    ScratchDirectory stateDir =
        new ScratchDirectory(java.nio.file.Path.of(OutputGuard.RUN_DIR), "armguard-state-");
    try {
      ArmguardConfig config =
          base.with(
              Map.of(
                  ArmguardConfig.BOOTSTRAP_SERVERS,
                  broker.bootstrapServers(),
                  ArmguardConfig.STATE_DIR,
                  stateDir.path().toString()));
      broker.createTopics(
          partitions,
          List.of(
              config.requestsTopic(),
              config.completionsTopic(),
              config.auditTopic(),
              config.dlqTopic()));
      log.printf(
          "armguard: Kafka broker (KRaft, in-process) at %s, data in %s (%.1f s)%n",
          broker.bootstrapServers(), broker.dataDir(), (System.nanoTime() - t0) / 1e9);
      TopologySerdes serdes = TopologySerdes.fromConfig(config);
      ArmguardService service = new ArmguardService(config, serdes, models.newPool());
      if (!service.awaitRunning(Duration.ofMinutes(2))) {
        service.close();
        throw new IllegalStateException("Kafka Streams did not reach RUNNING: " + service.state());
      }
      log.printf(
          "armguard: service RUNNING (application.id %s, registry %s)%n",
          config.applicationId(), config.schemaRegistryUrl());
      return new EmbeddedPipeline(stateDir, broker, config, serdes, models, service);
    } catch (Exception | Error e) {
      broker.close();
      stateDir.close();
      throw e;
    }
  }

  ArmguardConfig config() {
    return config;
  }

  TopologySerdes serdes() {
    return serdes;
  }

  ServiceModels models() {
    return models;
  }

  ArmguardService service() {
    return service;
  }

  KafkaProducer<String, GenerationRequest> requestProducer() {
    return new KafkaProducer<>(
        producerProps(), new StringSerializer(), serdes.request().serializer());
  }

  KafkaProducer<byte[], byte[]> rawProducer() {
    return new KafkaProducer<>(
        producerProps(), new ByteArraySerializer(), new ByteArraySerializer());
  }

  private Map<String, Object> producerProps() {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        config.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG,
        "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
        true);
  }

  @Override
  public void close() {
    try {
      service.close();
    } finally {
      broker.close();
      stateDir.close();
    }
  }
}
