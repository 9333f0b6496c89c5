package io.armguard.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft Kafka broker (combined broker + controller) as its own JVM ({@code
 * kafka.Kafka}), on free loopback ports, with its log directory kept across {@link #restart()} so a
 * bounce keeps every topic, offset and transaction: the system tests' broker. Its one client
 * listener is plaintext ({@link #start(Path)}) or secured as a {@link BrokerSecurity} says ({@link
 * #startSecured}); the controller listener is always plaintext loopback.
 */
public final class BrokerProcess implements AutoCloseable {

  private final Path dir;
  private final Path config;
  private final int port;
  private final BrokerSecurity security;
  private ChildJvm jvm;

  private BrokerProcess(Path dir, Path config, int port, BrokerSecurity security) {
    this.dir = dir;
    this.config = config;
    this.port = port;
    this.security = security;
  }

  /** Formats a fresh log directory under {@code dir} and starts a plaintext broker. */
  public static BrokerProcess start(Path dir) throws Exception {
    return startSecured(dir, BrokerSecurity.plaintext());
  }

  /**
   * Formats a fresh log directory under {@code dir} (with {@code security}'s SCRAM credentials) and
   * starts the broker with its client listener secured by {@code security}.
   */
  public static BrokerProcess startSecured(Path dir, BrokerSecurity security) throws Exception {
    Files.createDirectories(dir);
    String listener = security.protocol();
    int port = FreePorts.next();
    int controller = FreePorts.next();
    Path config = dir.resolve("server.properties");
    Files.writeString(
        config,
        String.join(
                "\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners="
                    + listener
                    + "://127.0.0.1:"
                    + port
                    + ",CONTROLLER://127.0.0.1:"
                    + controller,
                "advertised.listeners=" + listener + "://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map="
                    + listener
                    + ":"
                    + listener
                    + ",CONTROLLER:PLAINTEXT",
                String.join("\n", security.serverProperties()),
                "log.dirs=" + dir.resolve("data"),
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // a SIGKILLed instance's open transaction blocks read_committed output and its
                // partitions' committed-offset fetch until the broker aborts it: check for
                // timed-out
                // transactions every 2 s, not every 10 s (the default), so the stall after a kill
                // is
                // ~transaction.timeout.ms, not up to 10 s more (a slow box hit the 120 s bounds)
                "transaction.abort.timed.out.transaction.cleanup.interval.ms=2000",
                "auto.create.topics.enable=false",
                "")
            + "\n",
        StandardCharsets.UTF_8);
    BrokerProcess broker = new BrokerProcess(dir, config, port, security);
    List<String> format = new ArrayList<>();
    format.addAll(List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()));
    format.addAll(security.formatArguments());
    ChildJvm formatting =
        ChildJvm.start(
            "kafka.tools.StorageTool", List.of("-Xmx256m"), format, dir.resolve("format.log"), dir);
    if (formatting.awaitExit(60) != 0) {
      formatting.close();
      throw new IllegalStateException("formatting did not finish: " + dir.resolve("format.log"));
    }
    broker.launch();
    return broker;
  }

  private void launch() throws Exception {
    jvm =
        ChildJvm.start(
            "kafka.Kafka",
            List.of("-Xmx512m", "-Dlog4j2.configurationFile=" + log4jConfig()),
            List.of(config.toString()),
            dir.resolve("broker.log"),
            dir);
    awaitReady(Duration.ofSeconds(60));
  }

  private Path log4jConfig() throws IOException {
    Path file = dir.resolve("log4j2.properties");
    Files.writeString(
        file,
        "rootLogger.level=warn\nrootLogger.appenderRef.c.ref=c\nappender.c.type=Console\n"
            + "appender.c.name=c\nappender.c.layout.type=PatternLayout\n"
            + "appender.c.layout.pattern=%d %-5p %c{1} - %m%n\n");
    return file;
  }

  /** Waits until the broker answers an admin call. */
  private void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (!jvm.isAlive()) {
        throw new IllegalStateException("broker exited; see " + jvm.log());
      }
      try (Admin admin = admin()) {
        admin.describeCluster().nodes().get(5, java.util.concurrent.TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        last = e;
      }
    }
    throw new IllegalStateException(
        "broker not ready within " + timeout + "; see " + jvm.log(), last);
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The listener's security: what a client needs to connect ({@link BrokerSecurity}). */
  public BrokerSecurity security() {
    return security;
  }

  /** An admin client (as the broker's own user on a secured listener). */
  public Admin admin() {
    Map<String, Object> props = new HashMap<>(security.adminProperties());
    props.put("bootstrap.servers", bootstrapServers());
    props.put("request.timeout.ms", 5_000);
    props.put("default.api.timeout.ms", 10_000);
    return Admin.create(props);
  }

  /** Creates topics with {@code partitions} partitions, replication factor 1. */
  public void createTopics(int partitions, Collection<String> names) throws Exception {
    try (Admin admin = admin()) {
      admin
          .createTopics(names.stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList())
          .all()
          .get();
    }
  }

  /** SIGTERM (a clean broker shutdown), then starts it again on the same port and data. */
  public void restart() throws Exception {
    halt();
    resume();
  }

  /** Stops the broker (SIGTERM); clients see it unreachable until {@link #resume()}. */
  public void halt() throws InterruptedException {
    jvm.stop(60);
  }

  /** Starts the halted broker again on the same port and data, and waits until it answers. */
  public void resume() throws Exception {
    launch();
  }

  @Override
  public void close() throws InterruptedException {
    if (jvm != null) {
      jvm.stop(20);
    }
  }
}
