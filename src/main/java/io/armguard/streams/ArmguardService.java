package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: config → topology → {@link KafkaStreams} → start, plus metrics and the
 * health endpoints. Close stops Kafka Streams (buffered requests stay in the changelogged store for
 * whichever instance owns the partition next), then the engines, then the HTTP server.
 */
public final class ArmguardService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ArmguardService.class);

  private final KafkaStreams streams;
  private final EnginePool engines;
  private final PrometheusMeterRegistry registry;
  private final KafkaStreamsMetrics streamsMetrics;
  private final HealthServer health;
  private final ModerationApi moderationApi;
  private final Topology topology;

  /**
   * Builds and starts the service.
   *
   * @param engines per-thread engines over already loaded models (closed by this service)
   */
  public ArmguardService(ArmguardConfig config, TopologySerdes serdes, EnginePool engines)
      throws IOException {
    this.engines = engines;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PipelineMetrics metrics = new PipelineMetrics(registry);
    this.topology = ArmguardTopology.buildTopology(config, serdes, engines, metrics);
    this.streams = new KafkaStreams(topology, ArmguardTopology.streamsProperties(config));
    // A thread that dies on an unexpected error is replaced; its requests are still in the store.
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("stream thread died; replacing it", e);
          return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
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
                () -> streams.state() != KafkaStreams.State.ERROR,
                this::ready,
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

  /** RUNNING, with the models loaded (they are, before the service exists). */
  public boolean ready() {
    return streams.state() == KafkaStreams.State.RUNNING;
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

  @Override
  public void close() {
    // Leave the group so the partitions (and their buffered requests) move to another instance at
    // once instead of after the session timeout.
    streams.close(
        CloseOptions.timeout(Duration.ofSeconds(30))
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
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
