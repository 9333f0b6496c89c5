package io.armguard.config;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The setting names Kafka Streams and its clients define, read off their own {@link ConfigDef}s, so
 * a {@code kafka.*} key can be checked for a typo and a secret can be recognised by its declared
 * type ({@link ConfigDef.Type#PASSWORD}) rather than by its spelling alone. Stateless.
 */
public final class KafkaConfigNames {

  /**
   * Streams' per-client prefixes: {@code producer.linger.ms} is the producer's {@code linger.ms}.
   */
  private static final List<String> CLIENT_PREFIXES =
      List.of(
          StreamsConfig.MAIN_CONSUMER_PREFIX,
          StreamsConfig.RESTORE_CONSUMER_PREFIX,
          StreamsConfig.GLOBAL_CONSUMER_PREFIX,
          StreamsConfig.CONSUMER_PREFIX,
          StreamsConfig.PRODUCER_PREFIX,
          StreamsConfig.ADMIN_CLIENT_PREFIX);

  /** Prefixes whose keys are free-form (topic configs, client tags, config providers). */
  private static final List<String> OPEN_PREFIXES =
      List.of(StreamsConfig.TOPIC_PREFIX, StreamsConfig.CLIENT_TAG_PREFIX, "config.providers");

  private static final List<ConfigDef> DEFS =
      List.of(
          StreamsConfig.configDef(),
          ConsumerConfig.configDef(),
          ProducerConfig.configDef(),
          AdminClientConfig.configDef());

  private static final Set<String> NAMES = names();

  /** Words of a key (between dots) that make its value secret. */
  private static final Set<String> SECRET_WORDS = Set.of("password", "secret", "token", "jaas");

  private KafkaConfigNames() {}

  /** Every Streams, consumer, producer and admin setting name (no prefix). */
  public static Set<String> all() {
    return NAMES;
  }

  /** Whether {@code name} (a {@code kafka.*} key without the prefix) is a setting Kafka knows. */
  public static boolean isKnown(String name) {
    String bare = withoutClientPrefix(name);
    return NAMES.contains(bare) || OPEN_PREFIXES.stream().anyMatch(name::startsWith);
  }

  /**
   * Whether the value of {@code name} is secret: a setting Kafka declares as a password (e.g.
   * {@code sasl.jaas.config}, {@code ssl.key.password}), or one whose name says so (password,
   * secret, token, credentials, user info), for keys Kafka does not define.
   */
  public static boolean isSecret(String name) {
    String bare = withoutClientPrefix(name);
    for (ConfigDef def : DEFS) {
      ConfigDef.ConfigKey key = def.configKeys().get(bare);
      if (key != null && key.type == ConfigDef.Type.PASSWORD) {
        return true;
      }
    }
    String n = name.toLowerCase(Locale.ROOT);
    if (n.contains("user.info") || (n.contains("credentials") && !n.endsWith(".source"))) {
      return true;
    }
    List<String> words = List.of(n.split("[._-]"));
    return words.stream().anyMatch(w -> SECRET_WORDS.contains(w) || w.endsWith("password"))
        || words.get(words.size() - 1).equals("key");
  }

  private static String withoutClientPrefix(String name) {
    for (String prefix : CLIENT_PREFIXES) {
      if (name.startsWith(prefix)) {
        return name.substring(prefix.length());
      }
    }
    return name;
  }

  private static Set<String> names() {
    Set<String> all = new HashSet<>();
    DEFS.forEach(d -> all.addAll(d.names()));
    return Set.copyOf(all);
  }
}
