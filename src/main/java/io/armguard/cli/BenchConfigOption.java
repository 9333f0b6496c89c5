package io.armguard.cli;

import io.armguard.config.ArmguardConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --config} option of the benchmarks that start the service in-process ({@code bench
 * pipeline}, its open loop, {@code bench stream}): the service's properties file, or the defaults,
 * then the environment, with the benchmark's own settings on top.
 */
final class BenchConfigOption {
  @Option(names = "--config", description = "properties file (batch.size, models, device, ...)")
  Path configFile;

  /** The configuration, with {@code overrides} (the benchmark's own keys) applied last. */
  ArmguardConfig load(Map<String, String> overrides) throws IOException {
    return ArmguardConfig.loadOrDefaults(configFile).with(overrides);
  }
}
