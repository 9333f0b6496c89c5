package io.armguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.config.ArmguardConfig;
import io.armguard.config.ConfigException;
import io.armguard.decode.GuidedEngine;
import io.armguard.streams.DecodeScheduler;
import io.armguard.streams.EnginePool;
import io.armguard.streams.PipelineMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's models per decode device: {@code decode.devices} gives the scheduler one engine per
 * entry (entries naming {@code device} over the service's own weights), and an entry naming a
 * device this machine does not have fails at start-up, naming the key.
 */
class ServiceModelsTest {

  @TempDir Path dir;

  private ArmguardConfig config(String devices) {
    return ArmguardConfig.from(
        Map.of(
            "device",
            "cpu",
            "decode.devices",
            devices,
            "model.lm.dir",
            dir.resolve("missing-lm").toString(),
            "model.reward.dir",
            dir.resolve("missing-arm").toString()),
        Map.of());
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  @Test
  void theSchedulerGetsOneEnginePerDecodeDevice() throws Exception {
    try (ServiceModels models = ServiceModels.load(config("cpu,cpu"), true, quiet());
        EnginePool pool = models.newPool()) {
      List<Integer> engines = new ArrayList<>();
      pool.scheduler(
          (List<GuidedEngine> devices) -> {
            engines.add(devices.size());
            assertTrue(devices.get(0) != devices.get(1), "an engine of its own per device");
            return DecodeScheduler.start(
                devices,
                DecodeScheduler.Settings.batching(1, 0, 1),
                on -> batch -> null,
                new PipelineMetrics(new SimpleMeterRegistry()),
                System::currentTimeMillis);
          });
      assertEquals(List.of(2), engines);
    }
  }

  @Test
  void aDeviceThisMachineDoesNotHaveFailsNamingTheKey() {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> ServiceModels.load(config("cpu,gpu:7"), true, quiet()));
    assertTrue(e.getMessage().contains("decode.devices"), e.getMessage());
    assertTrue(e.getMessage().contains("gpu:7"), e.getMessage());
  }
}
