package io.armguard.cli;

import io.armguard.config.ArmguardConfig;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.ReleasedChunk;
import io.armguard.schema.ReplyChunk;
import io.armguard.streams.ArmguardService;
import io.armguard.streams.EmbeddedBroker;
import io.armguard.streams.EnginePool;
import io.armguard.streams.StreamSerdes;
import io.armguard.streams.TopologySerdes;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
    return start(base, models, models.newPool(), partitions, log);
  }

  /**
   * As {@link #start(ArmguardConfig, ServiceModels, int, PrintStream)}, the service's engines from
   * {@code pool}; with {@code stream.enabled} the streaming topics are created too.
   */
  static EmbeddedPipeline start(
      ArmguardConfig base, ServiceModels models, EnginePool pool, int partitions, PrintStream log)
      throws Exception {
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
      List<String> topics =
          new ArrayList<>(
              List.of(
                  config.requestsTopic(),
                  config.completionsTopic(),
                  config.auditTopic(),
                  config.dlqTopic()));
      if (config.bool(ArmguardConfig.STREAM_ENABLED)) {
        topics.add(config.string(ArmguardConfig.TOPIC_STREAM_IN));
        topics.add(config.string(ArmguardConfig.TOPIC_STREAM_OUT));
      }
      broker.createTopics(partitions, topics);
      log.printf(
          "armguard: Kafka broker (KRaft, in-process) at %s, data in %s (%.1f s)%n",
          broker.bootstrapServers(), broker.dataDir(), (System.nanoTime() - t0) / 1e9);
      TopologySerdes serdes = TopologySerdes.fromConfig(config);
      ArmguardService service = new ArmguardService(config, serdes, pool);
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

  /** A producer of reply chunks to {@code topic.stream.in}. */
  KafkaProducer<String, ReplyChunk> chunkProducer(StreamSerdes streamSerdes) {
    return new KafkaProducer<>(
        producerProps(), new StringSerializer(), streamSerdes.chunk().serializer());
  }

  /**
   * A reader of {@code topic.stream.out} from its beginning as the user's side sees it: every
   * partition assigned, no group, only committed transactions ({@code read_committed}).
   */
  KafkaConsumer<String, ReleasedChunk> releasedReader(StreamSerdes streamSerdes) {
    KafkaConsumer<String, ReleasedChunk> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new StringDeserializer(),
            streamSerdes.released().deserializer());
    String topic = config.string(ArmguardConfig.TOPIC_STREAM_OUT);
    List<TopicPartition> parts =
        c.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    c.assign(parts);
    c.seekToBeginning(parts);
    return c;
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
