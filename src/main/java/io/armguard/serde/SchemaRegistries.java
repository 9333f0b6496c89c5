package io.armguard.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens the registry a configuration names: {@code mock://scope} gives the in-memory registry of
 * that scope, anything else a caching REST client. Clients are shared per configuration within the
 * JVM, so every serde of a topology shares one id cache.
 */
public final class SchemaRegistries {

  private static final Map<RegistryClientConfig, SchemaRegistry> CLIENTS =
      new ConcurrentHashMap<>();

  private SchemaRegistries() {}

  /** The registry for a Kafka-style config map (see {@link RegistryClientConfig}). */
  public static SchemaRegistry fromConfigs(Map<String, ?> configs) {
    return open(RegistryClientConfig.from(configs));
  }

  /** The registry for {@code config}. */
  public static SchemaRegistry open(RegistryClientConfig config) {
    if (config.isMock()) {
      return InMemorySchemaRegistry.scope(config.url().substring("mock://".length()));
    }
    return CLIENTS.computeIfAbsent(
        config, c -> new CachingSchemaRegistry(new RestSchemaRegistry(c)));
  }
}
