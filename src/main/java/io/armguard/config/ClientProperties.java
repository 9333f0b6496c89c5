package io.armguard.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The settings a plain producer or consumer gets from armguard's configuration, so that a tool next
 * to the service ({@code armguard produce}, {@code armguard tail}) reaches the same cluster with
 * the same security settings: {@code bootstrap.servers}, plus every {@code kafka.*} setting the
 * client defines ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}, ...), with Kafka
 * Streams' client prefixes applied as Streams applies them ({@code kafka.producer.X} reaches the
 * producer, {@code kafka.consumer.X} and {@code kafka.main.consumer.X} the consumer, {@code
 * kafka.admin.X} the admin client, over an unprefixed {@code X}). Settings only Streams knows
 * ({@code replication.factor}, ...) are left out: a plain client would warn about each. Stateless.
 */
public final class ClientProperties {

  private static final List<String> PRODUCER_PREFIXES = List.of("producer.");

  private static final List<String> ADMIN_PREFIXES = List.of("admin.");

  /** Least specific first: a later prefix overrides an earlier one, as in Kafka Streams. */
  private static final List<String> CONSUMER_PREFIXES = List.of("consumer.", "main.consumer.");

  /** Keys every client accepts although its ConfigDef does not list them. */
  private static final String CONFIG_PROVIDERS = "config.providers";

  private ClientProperties() {}

  /** A producer's settings (serializers left to the caller). */
  public static Map<String, Object> producer(ArmguardConfig config) {
    return select(config, ProducerConfig.configNames(), PRODUCER_PREFIXES);
  }

  /**
   * A consumer's settings (deserializers, group and offsets left to the caller; a tool that must
   * not commit into the service's groups uses {@code assign()} without a {@code group.id}).
   */
  public static Map<String, Object> consumer(ArmguardConfig config) {
    Map<String, Object> props = select(config, ConsumerConfig.configNames(), CONSUMER_PREFIXES);
    // the service's group settings must never leak into a tool's consumer
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    return props;
  }

  /** An admin client's settings (as Kafka Streams' own admin client gets them). */
  public static Map<String, Object> admin(ArmguardConfig config) {
    return select(config, AdminClientConfig.configNames(), ADMIN_PREFIXES);
  }

  private static Map<String, Object> select(
      ArmguardConfig config, Set<String> names, List<String> prefixes) {
    Map<String, String> kafka = config.kafkaOverrides();
    Map<String, Object> props = new HashMap<>();
    kafka.forEach(
        (k, v) -> {
          if (names.contains(k) || k.startsWith(CONFIG_PROVIDERS)) {
            props.put(k, v);
          }
        });
    for (String prefix : prefixes) {
      kafka.forEach(
          (k, v) -> {
            if (k.startsWith(prefix) && names.contains(k.substring(prefix.length()))) {
              props.put(k.substring(prefix.length()), v);
            }
          });
    }
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    return props;
  }
}
