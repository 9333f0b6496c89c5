package io.armguard.cli;

import io.armguard.config.ArmguardConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where a client command ({@code produce}, {@code tail}) finds the cluster: the service's own
 * configuration ({@code --config FILE} as for {@code run}, then {@code ARMGUARD_*} variables, so
 * {@code kafka.security.protocol}, {@code kafka.sasl.jaas.config}, the registry's basic auth and
 * TLS apply unchanged), with the two addresses and any other key overridable on the command line.
 */
public final class ClusterOptions {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "the service's properties file (as for run)")
  Path configFile;

  @Option(
      names = {"-b", "--bootstrap-servers"},
      paramLabel = "HOST:PORT,...",
      description = "bootstrap.servers (default: the configuration's)")
  String bootstrapServers;

  @Option(
      names = {"-r", "--schema-registry-url"},
      paramLabel = "URL",
      description = "schema.registry.url (default: the configuration's)")
  String registryUrl;

  @Mixin ConfigOverrides overrides;

  /** The configuration: file (or defaults), environment, then these options. */
  ArmguardConfig config() throws IOException {
    ArmguardConfig base = ArmguardConfig.loadOrDefaults(configFile);
    Map<String, String> set = overrides.values();
    if (bootstrapServers != null) {
      set.put(ArmguardConfig.BOOTSTRAP_SERVERS, bootstrapServers);
    }
    if (registryUrl != null) {
      set.put(ArmguardConfig.SCHEMA_REGISTRY_URL, registryUrl);
    }
    return set.isEmpty() ? base : base.with(set);
  }

  /**
   * Refuses an in-memory registry ({@code mock://}, the configuration's default): its schema ids
   * exist only inside this process, so the service could not read what this process writes, nor
   * this process what the service wrote.
   *
   * @throws IllegalArgumentException naming the setting and how to give the cluster's registry
   */
  static void requireSharedRegistry(ArmguardConfig config) {
    if (config.schemaRegistryUrl().startsWith("mock://")) {
      throw new IllegalArgumentException(
          "schema.registry.url is "
              + config.schemaRegistryUrl()
              + ", an in-memory registry of this process only; give the cluster's registry with"
              + " -r URL or schema.registry.url in --config");
    }
  }
}
