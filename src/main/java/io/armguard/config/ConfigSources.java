package io.armguard.config;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.DirectoryConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the raw inputs of {@link ArmguardConfig#from} into the properties it parses:
 *
 * <ul>
 *   <li><b>Environment pass-through.</b> Besides the fixed keys' {@code ARMGUARD_*} variables,
 *       {@code ARMGUARD_KAFKA_<NAME>} sets {@code kafka.<name>} and {@code
 *       ARMGUARD_SCHEMA_REGISTRY_<NAME>} / {@code ARMGUARD_BASIC_AUTH_USER_INFO} / ... set the
 *       registry client's keys ({@code _} becomes {@code .}, lower-cased), over the file's value.
 *       So secrets need not be written into a properties file.
 *   <li><b>Config providers</b>, as Kafka's own: {@code ${env:VAR}}, {@code ${file:PATH:KEY}} (a
 *       properties file) and {@code ${dir:DIR:FILE}} (a file's whole content, e.g. a mounted
 *       Kubernetes secret) in any value, resolved before parsing. A variable of another provider is
 *       left for Kafka's {@code config.providers}; one of these three that cannot be resolved fails
 *       start-up naming the key and the variable, never the value.
 *   <li><b>A warning</b> for each {@code kafka.*} key that no Streams, consumer, producer or admin
 *       setting is called (it is still passed through, as Kafka itself would accept it).
 * </ul>
 *
 * Stateless; values are never logged.
 */
final class ConfigSources {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigSources.class);

  private static final String ENV_PREFIX = "ARMGUARD_";
  private static final String KAFKA_ENV = ENV_PREFIX + "KAFKA_";
  private static final String REGISTRY_ENV = ENV_PREFIX + "SCHEMA_REGISTRY_";

  /** The providers armguard resolves itself; the names Kafka's docs use for them. */
  private static final Set<String> OWN_PROVIDERS = Set.of("env", "file", "dir");

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(env|file|dir):[^}]*}");

  private ConfigSources() {}

  /**
   * The file's properties with the pass-through environment variables applied and every value's
   * variables resolved.
   *
   * @param fixedKeys the keys with their own {@code ARMGUARD_*} variable (left to the caller)
   */
  static Map<String, String> properties(
      Map<String, String> props, Map<String, String> env, Collection<ConfigKey> fixedKeys) {
    Set<String> fixedVars =
        fixedKeys.stream().map(ConfigKey::envVar).collect(Collectors.toUnmodifiableSet());
    Map<String, String> merged = new LinkedHashMap<>(props);
    env.forEach(
        (var, value) -> {
          if (fixedVars.contains(var)) {
            return;
          }
          String key = passThroughKey(var);
          if (key != null) {
            merged.put(key, value);
          }
        });
    warnUnknownKafkaKeys(merged.keySet());
    return resolve(merged, env, "");
  }

  /** The fixed keys' {@code ARMGUARD_*} variables, resolved; every other variable dropped. */
  static Map<String, String> fixedKeyEnvironment(
      Map<String, String> env, Collection<ConfigKey> fixedKeys) {
    Map<String, String> own = new HashMap<>();
    for (ConfigKey k : fixedKeys) {
      String value = env.get(k.envVar());
      if (value != null) {
        own.put(k.envVar(), value);
      }
    }
    return resolve(own, env, "environment variable ");
  }

  /**
   * The property an environment variable sets, or null: {@code ARMGUARD_KAFKA_SASL_JAAS_CONFIG} →
   * {@code kafka.sasl.jaas.config}, {@code ARMGUARD_BASIC_AUTH_USER_INFO} → {@code
   * basic.auth.user.info}.
   */
  static String passThroughKey(String var) {
    if (!var.startsWith(ENV_PREFIX)) {
      return null;
    }
    String key = var.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    if (var.startsWith(KAFKA_ENV) && var.length() > KAFKA_ENV.length()) {
      return key;
    }
    if (var.startsWith(REGISTRY_ENV) && var.length() > REGISTRY_ENV.length()) {
      return key;
    }
    return ArmguardConfig.REGISTRY_KEYS.contains(key) ? key : null;
  }

  private static Map<String, String> resolve(
      Map<String, String> raw, Map<String, String> env, String origin) {
    if (raw.values().stream().noneMatch(v -> v != null && VARIABLE.matcher(v).find())) {
      return raw;
    }
    Map<String, String> resolved;
    try {
      resolved = new ConfigTransformer(providers(env)).transform(raw).data();
    } catch (RuntimeException e) {
      // Kafka's message names the file or variable, never a resolved value
      throw new ConfigException(
          keyWithVariable(raw), "cannot resolve a config variable: " + e.getMessage());
    }
    for (Map.Entry<String, String> e : resolved.entrySet()) {
      Matcher m = VARIABLE.matcher(String.valueOf(e.getValue()));
      if (m.find()) {
        throw new ConfigException(
            origin + e.getKey(),
            m.group()
                + " does not resolve (unset environment variable, or no such file or key); set it"
                + " or remove the reference");
      }
    }
    return resolved;
  }

  private static String keyWithVariable(Map<String, String> raw) {
    return raw.entrySet().stream()
        .filter(e -> e.getValue() != null && VARIABLE.matcher(e.getValue()).find())
        .map(Map.Entry::getKey)
        .sorted()
        .collect(Collectors.joining(", "));
  }

  private static Map<String, ConfigProvider> providers(Map<String, String> env) {
    Map<String, ConfigProvider> providers = new HashMap<>();
    providers.put("env", new EnvironmentProvider(env));
    providers.put("file", configured(new FileConfigProvider()));
    providers.put("dir", configured(new DirectoryConfigProvider()));
    assert providers.keySet().equals(OWN_PROVIDERS);
    return providers;
  }

  private static ConfigProvider configured(ConfigProvider p) {
    p.configure(Map.of());
    return p;
  }

  /**
   * {@code ${env:VAR}} over the environment {@link ArmguardConfig#from} was given (the process's,
   * or a test's), like Kafka's {@code EnvVarConfigProvider}, which reads only the process's.
   */
  private static final class EnvironmentProvider implements ConfigProvider {
    private final Map<String, String> env;

    EnvironmentProvider(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public ConfigData get(String path) {
      return new ConfigData(path == null || path.isEmpty() ? env : Map.of());
    }

    @Override
    public ConfigData get(String path, Set<String> keys) {
      Map<String, String> found = new HashMap<>();
      if (path == null || path.isEmpty()) {
        keys.stream().filter(env::containsKey).forEach(k -> found.put(k, env.get(k)));
      }
      return new ConfigData(found);
    }

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public void close() {}
  }

  private static void warnUnknownKafkaKeys(Set<String> keys) {
    List<String> unknown =
        keys.stream()
            .filter(k -> k.startsWith(ArmguardConfig.KAFKA_PREFIX))
            .filter(
                k -> !KafkaConfigNames.isKnown(k.substring(ArmguardConfig.KAFKA_PREFIX.length())))
            .sorted()
            .toList();
    for (String key : unknown) {
      String bare = key.substring(ArmguardConfig.KAFKA_PREFIX.length());
      String hint =
          ConfigSuggestions.closest(bare, KafkaConfigNames.all())
              .map(s -> "; did you mean " + ArmguardConfig.KAFKA_PREFIX + s + "?")
              .orElse("");
      LOG.warn(
          "{} is not a Kafka Streams, consumer, producer or admin setting; passed through as"
              + " given{}",
          key,
          hint);
    }
  }
}
