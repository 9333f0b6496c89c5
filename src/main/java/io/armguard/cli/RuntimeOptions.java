package io.armguard.cli;

import ai.djl.Device;
import io.armguard.model.DeviceSpec;
import io.armguard.model.EngineThreads;
import picocli.CommandLine.Option;

/** The {@code --device} and {@code --threads} options shared by commands that run a model. */
public final class RuntimeOptions {

  @Option(
      names = "--device",
      defaultValue = "auto",
      description = "auto (GPU 0 if DJL sees one), cpu, gpu or gpu:N (default: ${DEFAULT-VALUE})")
  String device;

  @Option(
      names = "--threads",
      defaultValue = "" + EngineThreads.DEFAULT,
      description =
          "libtorch intra-op threads (default: ${DEFAULT-VALUE}; 2 is faster on an idle 2-core box,"
              + " 1 is steadier when other processes share the cores)")
  int threads;

  /** Applies the thread count and returns the device to run on. */
  public Device apply() {
    EngineThreads.configure(threads);
    return DeviceSpec.parse(device);
  }

  public int threads() {
    return threads;
  }
}
