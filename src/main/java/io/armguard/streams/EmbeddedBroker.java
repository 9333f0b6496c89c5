package io.armguard.streams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft Kafka broker (combined broker + controller) inside this JVM, with its
 * data in a temporary directory deleted on close: what {@code armguard demo}, {@code bench
 * pipeline} and the real-broker tests run against. Single node, so every internal topic (consumer
 * offsets, transaction state) is configured with replication factor 1.
 */
public final class EmbeddedBroker implements AutoCloseable {

  private static final String NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";

  private final KafkaClusterTestKit cluster;
  private final Path dataDir;

  private EmbeddedBroker(KafkaClusterTestKit cluster, Path dataDir) {
    this.cluster = cluster;
    this.dataDir = dataDir;
  }

  /** Formats, starts and waits until the broker accepts clients (about 2 s). */
  public static EmbeddedBroker start() throws Exception {
    Path dir = Files.createTempDirectory("armguard-kafka-");
    KafkaClusterTestKit cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(dir)
                    .build())
            // one node: the defaults of 3 would leave groups and transactions waiting forever
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("transaction.state.log.num.partitions", "1")
            .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
            .setConfigProp("share.coordinator.state.topic.min.isr", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("auto.create.topics.enable", "false")
            .setDeleteOnClose(true)
            .build();
    // The test kit's formatter prints its bootstrap records to System.out; stdout belongs to the
    // commands' results and stderr to what went wrong, so the dump is shown only if start-up fails.
    java.io.PrintStream stdout = System.out;
    java.io.ByteArrayOutputStream formatLog = new java.io.ByteArrayOutputStream();
    try {
      System.setOut(
          new java.io.PrintStream(formatLog, true, java.nio.charset.StandardCharsets.UTF_8));
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
    } catch (Exception e) {
      System.err.print(formatLog.toString(java.nio.charset.StandardCharsets.UTF_8));
      cluster.close();
      throw e;
    } finally {
      System.setOut(stdout);
    }
    return new EmbeddedBroker(cluster, dir);
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** Creates topics with {@code partitions} partitions, replication factor 1. */
  public void createTopics(int partitions, Collection<String> names)
      throws InterruptedException, ExecutionException {
    try (Admin admin = admin()) {
      List<NewTopic> topics =
          names.stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList();
      admin.createTopics(topics).all().get();
    }
  }

  public Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", bootstrapServers()));
  }

  /** The broker's data directory (deleted on close). */
  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    // The test kit closes one of its controller channels twice on shutdown and warns about it.
    org.apache.logging.log4j.Level before =
        org.apache.logging.log4j.LogManager.getLogger(NETWORK_CLIENT).getLevel();
    org.apache.logging.log4j.core.config.Configurator.setLevel(
        NETWORK_CLIENT, org.apache.logging.log4j.Level.ERROR);
    try {
      cluster.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("stopping the embedded broker failed", e);
    } finally {
      org.apache.logging.log4j.core.config.Configurator.setLevel(NETWORK_CLIENT, before);
      deleteQuietly(dataDir);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // best effort: it is a temp dir
    }
  }
}
