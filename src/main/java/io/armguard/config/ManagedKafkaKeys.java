package io.armguard.config;

import java.util.List;
import java.util.Map;

/**
 * Kafka Streams and client settings armguard sets itself and checks against each other (the
 * processing guarantee, the timeouts the transaction-timeout check uses, the error handlers). A
 * {@code kafka.*} override of one of them would reach Kafka Streams after the checks ran on other
 * values, so it is rejected, naming the armguard key to use instead.
 */
final class ManagedKafkaKeys {

  /** Managed Kafka key → the armguard key that sets it, or why it cannot be changed. */
  private static final Map<String, String> MANAGED =
      Map.ofEntries(
          Map.entry("application.id", ArmguardConfig.APPLICATION_ID),
          Map.entry("bootstrap.servers", ArmguardConfig.BOOTSTRAP_SERVERS),
          Map.entry("processing.guarantee", "none: armguard always runs exactly_once_v2"),
          Map.entry("num.stream.threads", ArmguardConfig.NUM_STREAM_THREADS),
          Map.entry("num.standby.replicas", ArmguardConfig.NUM_STANDBY_REPLICAS),
          Map.entry("commit.interval.ms", ArmguardConfig.COMMIT_INTERVAL_MS),
          Map.entry("transaction.timeout.ms", ArmguardConfig.TRANSACTION_TIMEOUT_MS),
          Map.entry("state.dir", ArmguardConfig.STATE_DIR),
          Map.entry("poll.ms", "none: derived from " + ArmguardConfig.BATCH_MAX_DELAY_MS),
          Map.entry(
              "max.poll.interval.ms",
              "none: derived from " + ArmguardConfig.TRANSACTION_TIMEOUT_MS),
          Map.entry("session.timeout.ms", ArmguardConfig.SESSION_TIMEOUT_MS),
          Map.entry(
              "group.instance.id",
              ArmguardConfig.INSTANCE_ID + " (with " + ArmguardConfig.STATIC_MEMBERSHIP + ")"),
          Map.entry("deserialization.exception.handler", "none: armguard's dead-letter handler"),
          Map.entry("processing.exception.handler", "none: armguard's dead-letter handler"),
          Map.entry("errors.dead.letter.queue.topic.name", ArmguardConfig.TOPIC_DLQ));

  /** Client prefixes Kafka Streams strips before handing a setting to one client. */
  private static final List<String> CLIENT_PREFIXES =
      List.of(
          "main.consumer.",
          "restore.consumer.",
          "global.consumer.",
          "consumer.",
          "producer.",
          "admin.",
          "topic.");

  private ManagedKafkaKeys() {}

  /**
   * Main-consumer keys armguard derives (the prefix given in full: the same key for the other
   * clients stays the user's).
   */
  private static final Map<String, String> MANAGED_MAIN_CONSUMER =
      Map.of(
          "main.consumer.default.api.timeout.ms",
          "none: derived from "
              + ArmguardConfig.TRANSACTION_TIMEOUT_MS
              + " (half of it, at most 10 s, so a thread waiting on another producer's pending"
              + " offsets polls and commits between attempts)");

  /** Throws if {@code kafkaKey} (the key without {@code kafka.}) names a managed setting. */
  static void rejectOverride(String fullKey, String kafkaKey) {
    String mainConsumerOwner = MANAGED_MAIN_CONSUMER.get(kafkaKey);
    if (mainConsumerOwner != null) {
      throw new ConfigException(
          fullKey,
          "armguard sets the main consumer's default.api.timeout.ms itself; use "
              + mainConsumerOwner
              + " instead of a kafka.* override");
    }
    String bare = kafkaKey;
    for (String prefix : CLIENT_PREFIXES) {
      if (bare.startsWith(prefix)) {
        bare = bare.substring(prefix.length());
        break;
      }
    }
    if (bare.startsWith("default.")) { // default.deserialization.exception.handler and the like
      bare = bare.substring("default.".length());
    }
    String owner = MANAGED.get(bare);
    if (owner != null) {
      throw new ConfigException(
          fullKey,
          "armguard sets "
              + bare
              + " itself and validates it against other keys; use "
              + owner
              + " instead of a kafka.* override");
    }
  }
}
