package io.armguard.cli;

import ai.djl.Device;
import io.armguard.config.ArmguardConfig;
import io.armguard.config.ConfigException;
import io.armguard.decode.DecodingModels;
import io.armguard.model.DeviceSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decode scheduler's models, one per {@code decode.devices} entry: the service's own models
 * where an entry names their device, else a copy loaded onto that device, once per distinct device
 * (weights cannot be shared across GPUs; two entries naming one device are two engines, and two
 * decode loops, over one copy).
 *
 * @param perEntry the models of each entry, in {@code decode.devices} order
 * @param loaded the copies loaded here; the caller closes them
 */
record DeviceCopies(List<DecodingModels> perEntry, List<DecodingModels> loaded) {

  /**
   * Loads what {@code config}'s decode devices need beyond {@code primary} (loaded on {@code
   * device}) from the same directories.
   *
   * @throws ConfigException when an entry names a device DJL does not see
   */
  static DeviceCopies load(
      ArmguardConfig config,
      DecodingModels primary,
      Path lmDir,
      List<Path> rewardDirs,
      PrintStream log)
      throws IOException {
    Map<Device, DecodingModels> byDevice = new LinkedHashMap<>();
    byDevice.put(DeviceSpec.parse(config.string(ArmguardConfig.DEVICE)), primary);
    List<DecodingModels> perEntry = new ArrayList<>();
    List<DecodingModels> loaded = new ArrayList<>();
    try {
      for (String name : config.decodeDevices()) {
        Device device = device(name);
        DecodingModels models = byDevice.get(device);
        if (models == null) {
          models = DecodingModels.load(lmDir, rewardDirs, device);
          loaded.add(models);
          byDevice.put(device, models);
          log.println(
              "armguard: decode device " + device + ": models loaded (a copy of the weights)");
        }
        perEntry.add(models);
      }
    } catch (IOException | RuntimeException e) {
      loaded.forEach(DecodingModels::close);
      throw e;
    }
    return new DeviceCopies(List.copyOf(perEntry), List.copyOf(loaded));
  }

  private static Device device(String name) {
    try {
      return DeviceSpec.parse(name);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ArmguardConfig.DECODE_DEVICES, e.getMessage());
    }
  }
}
