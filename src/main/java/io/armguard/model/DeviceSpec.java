package io.armguard.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * Parses the {@code device} setting: {@code auto} (GPU 0 if DJL sees one), {@code cpu}, {@code
 * gpu[:N]}.
 */
public final class DeviceSpec {

  private DeviceSpec() {}

  /** The device named by {@code spec}; fails for a GPU DJL cannot see. */
  public static Device parse(String spec) {
    String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
    int gpus = Engine.getInstance().getGpuCount();
    if (s.equals("auto")) {
      return gpus > 0 ? Device.gpu(0) : Device.cpu();
    }
    if (s.equals("cpu")) {
      return Device.cpu();
    }
    if (s.equals("gpu") || s.startsWith("gpu:")) {
      int n;
      try {
        n = s.equals("gpu") ? 0 : Integer.parseInt(s.substring(4));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "device '" + spec + "': expected auto, cpu, gpu or gpu:N");
      }
      if (n < 0 || n >= gpus) {
        throw new IllegalArgumentException(
            "device '" + spec + "': DJL sees " + gpus + " GPU(s) (CUDA natives need -Pcuda)");
      }
      return Device.gpu(n);
    }
    throw new IllegalArgumentException("device '" + spec + "': expected auto, cpu, gpu or gpu:N");
  }
}
