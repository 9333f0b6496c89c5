package io.armguard.cli;

import io.armguard.config.ArmguardConfig;
import java.io.IOException;
import java.io.PrintStream;
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
    ArmguardConfig base =
        configFile == null
            ? ArmguardConfig.fromEnvironment(Map.of())
            : ArmguardConfig.load(configFile);
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
   * Warns when the registry is an in-memory one: its schema ids exist only inside this process, so
   * another process cannot read what this one writes (or the reverse).
   */
  static void warnIfInMemoryRegistry(ArmguardConfig config, String command, PrintStream err) {
    if (config.schemaRegistryUrl().startsWith("mock://")) {
      err.printf(
          "%s: warning: schema.registry.url is %s, an in-memory registry of this process only;"
              + " give the cluster's registry with --schema-registry-url URL%n",
          command, config.schemaRegistryUrl());
    }
  }
}
