package io.armguard.config;

import java.util.regex.Pattern;

/**
 * What of a setting may be logged: secret values (by Kafka's declared type or by their key's name,
 * {@link KafkaConfigNames#isSecret}) become {@value #HIDDEN}, and the {@code user:password@} part
 * of a URL is removed. Stateless.
 */
public final class ConfigRedaction {

  /** What a secret value is logged as (Kafka's own word for it). */
  public static final String HIDDEN = "[hidden]";

  private static final Pattern URL_USER_INFO = Pattern.compile("(?<=://)[^/@\\s]+@");

  private ConfigRedaction() {}

  /**
   * Whether the value of {@code key} (an armguard key, {@code kafka.*} or registry key) is secret.
   */
  public static boolean isSecret(String key) {
    String bare =
        key.startsWith(ArmguardConfig.KAFKA_PREFIX)
            ? key.substring(ArmguardConfig.KAFKA_PREFIX.length())
            : key;
    return KafkaConfigNames.isSecret(bare);
  }

  /** {@code value} as it may appear in a log line. */
  public static String redact(String key, String value) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    if (isSecret(key)) {
      return HIDDEN;
    }
    return URL_USER_INFO.matcher(value).replaceAll(HIDDEN + "@");
  }
}
