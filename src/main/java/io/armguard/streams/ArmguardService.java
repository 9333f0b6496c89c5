package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import io.armguard.serde.RegistryAvailability;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: config → topology → {@link KafkaStreams} → start, plus metrics (Kafka
 * Streams', the JVM's and process's, the loaded models', armguard's own) and the health endpoints.
 * Close stops Kafka Streams (buffered requests stay in the changelogged store for whichever
 * instance owns the partition next), then the engines, then the HTTP server.
 */
public final class ArmguardService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ArmguardService.class);

  private final KafkaStreams streams;
  private final EnginePool engines;
  private final PrometheusMeterRegistry registry;
  private final KafkaStreamsMetrics streamsMetrics;
  private final JvmProcessMetrics jvmMetrics = new JvmProcessMetrics();
  private final HealthServer health;
  private final ModerationApi moderationApi;
  private final Topology topology;
  private final RegistryAvailability registryAvailability = RegistryAvailability.shared();
  private final Duration closeTimeout;
  private volatile boolean closing;
  private final StaticMemberEviction eviction;

  /**
   * Builds and starts the service.
   *
   * @param engines per-thread engines over already loaded models (closed by this service)
   */
  public ArmguardService(ArmguardConfig config, TopologySerdes serdes, EnginePool engines)
      throws IOException {
    this.engines = engines;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    jvmMetrics.bindTo(registry);
    new ModelInfoMetrics(engines.models()).bindTo(registry);
    PipelineMetrics metrics = new PipelineMetrics(registry);
    this.topology = ArmguardTopology.buildTopology(config, serdes, engines, metrics);
    Properties props = ArmguardTopology.streamsProperties(config);
    props.put(DeadLetterHandler.METRICS_CONFIG, metrics);
    if (config.bool(ArmguardConfig.STATIC_MEMBERSHIP)) {
      String instance = InstanceIdentity.groupInstanceId(config);
      props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), instance);
      Map<String, Object> client = new HashMap<>(config.kafkaOverrides());
      client.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
      this.eviction = new StaticMemberEviction(config.applicationId(), instance, client);
    } else {
      this.eviction = null;
    }
    this.streams = new KafkaStreams(topology, props);
    this.closeTimeout = Duration.ofMillis(config.intValue(ArmguardConfig.SHUTDOWN_TIMEOUT_MS));
    streams.setUncaughtExceptionHandler(
        new StreamThreadFailureHandler(
            config,
            registryAvailability,
            thread -> {
              if (eviction != null) { // on the dying thread: its name gives its member id
                eviction.evict(thread);
              }
            }));
    this.streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
    int port = config.intValue(ArmguardConfig.HTTP_PORT);
    BearerAuth auth = BearerAuth.from(config);
    this.moderationApi =
        port < 0 || !config.bool(ArmguardConfig.MODERATION_API_ENABLED)
            ? null
            : new ModerationApi(config, auth, engines::forCurrentThread, registry);
    this.health =
        port < 0
            ? null
            : new HealthServer(
                new InetSocketAddress(config.string(ArmguardConfig.HTTP_BIND_ADDRESS), port),
                this::live,
                this::readiness,
                registry,
                config.bool(ArmguardConfig.HTTP_METRICS_AUTH) ? auth : null,
                moderationApi);
    streams.start();
    LOG.info(
        "armguard started: application.id={} requests={} health port={}",
        config.applicationId(),
        config.requestsTopic(),
        health == null ? "off" : health.port());
  }

  /**
   * Liveness: false once Kafka Streams has stopped for good (ERROR, or shutting down / stopped
   * without being asked to). A broker or registry outage keeps the process live, since a restart
   * would not help; it shows on {@link #readiness()}.
   */
  public boolean live() {
    KafkaStreams.State s = streams.state();
    return closing
        || (s != KafkaStreams.State.ERROR
            && s != KafkaStreams.State.PENDING_ERROR
            && s != KafkaStreams.State.NOT_RUNNING
            && s != KafkaStreams.State.PENDING_SHUTDOWN);
  }

  /** Whether the service can make progress now (the models are loaded before it exists). */
  public boolean ready() {
    return readiness().ok();
  }

  /** Kafka Streams RUNNING, a live broker connection, the schema registry answering. */
  public Readiness readiness() {
    KafkaStreams.State s = streams.state();
    int connections = BrokerConnections.count(streams);
    return new Readiness(
        List.of(
            new Readiness.Check("kafka streams", s == KafkaStreams.State.RUNNING, s.name()),
            new Readiness.Check("broker", connections > 0, connections + " connections"),
            new Readiness.Check(
                "schema registry",
                registryAvailability.isAvailable(),
                registryAvailability.describe())));
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** The HTTP port, or -1 when the endpoints are off. */
  public int httpPort() {
    return health == null ? -1 : health.port();
  }

  public Topology topology() {
    return topology;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Waits until RUNNING or the timeout passes; returns whether it is running. */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (ready()) {
        return true;
      }
      if (streams.state() == KafkaStreams.State.ERROR) {
        return false;
      }
      Thread.sleep(50);
    }
    return ready();
  }

  /**
   * Stops within {@code shutdown.timeout.ms} (plus the engines' own close): Kafka Streams gets that
   * long to finish its transaction and leave the group; if the broker is unreachable it is
   * abandoned after the timeout, which is safe, since nothing uncommitted is ever visible and the
   * buffered requests stay in the changelog.
   */
  @Override
  public void close() {
    closing = true;
    // Leave the group so the partitions (and their buffered requests) move to another instance at
    // once instead of after the session timeout.
    boolean stopped =
        streams.close(
            CloseOptions.timeout(closeTimeout)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    if (!stopped) {
      LOG.warn("Kafka Streams did not stop within {} ms; closing anyway", closeTimeout.toMillis());
    }
    if (eviction != null) {
      eviction.close();
    }
    jvmMetrics.close();
    streamsMetrics.close();
    engines.close();
    if (health != null) {
      health.close();
    }
    if (moderationApi != null) {
      moderationApi.close();
    }
    streamsMetrics.close();
    engines.close();
  }
}
