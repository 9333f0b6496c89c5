package io.armguard.cli;

import io.armguard.config.ArmguardConfig;
import io.armguard.config.ConfigException;
import io.armguard.decode.DecodingModels;
import io.armguard.decode.GuidedEngine;
import io.armguard.decode.StreamBatching;
import io.armguard.streams.EnginePool;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The models a service command runs with: the configured {@code model.lm.dir} and {@code
 * model.reward.dir}, loaded once on {@code device} and shared by the per-thread engines, and once
 * more on each other device of {@code decode.devices} for the scheduler's engine there. Commands
 * that must run on a fresh machine (demo, bench) may fall back to small random models, and say so.
 */
final class ServiceModels implements AutoCloseable {

  private final DecodingModels models;
  private final List<DecodingModels> schedulerModels; // per decode.devices entry, in order
  private final List<DecodingModels> otherDevices; // loaded here for them, closed with this
  private final String description;
  private final ScratchDirectory randomDir;
  private final String steeringLabel;
  private final StreamBatching streamBatching;

  private ServiceModels(
      DecodingModels models,
      DeviceCopies devices,
      String description,
      ScratchDirectory randomDir,
      String steeringLabel,
      StreamBatching streamBatching) {
    this.streamBatching = streamBatching;
    this.models = models;
    this.schedulerModels = devices.perEntry();
    this.otherDevices = devices.loaded();
    this.description = description;
    this.randomDir = randomDir;
    this.steeringLabel = steeringLabel;
  }

  static ServiceModels load(ArmguardConfig config, boolean randomIfMissing, PrintStream log)
      throws IOException {
    Path lm = Path.of(config.string(ArmguardConfig.MODEL_LM_DIR));
    Path reward = Path.of(config.string(ArmguardConfig.MODEL_REWARD_DIR));
    ScratchDirectory randomDir = null;
    if (!Files.isDirectory(lm) || !Files.isDirectory(reward)) {
      String missing = (Files.isDirectory(lm) ? reward : lm).toString();
      if (!randomIfMissing) {
        throw new IOException(
            "model directory "
                + missing
                + " not found; set "
                + ArmguardConfig.MODEL_LM_DIR
                + " and "
                + ArmguardConfig.MODEL_REWARD_DIR);
      }
      randomDir = new ScratchDirectory("armguard-random-models-");
      Path tmp = randomDir.path();
      RandomModelDirs.Dirs dirs = RandomModelDirs.write(tmp, 7);
      lm = dirs.lm();
      reward = dirs.reward();
      log.println(
          "armguard: "
              + missing
              + " not found: using small RANDOMLY INITIALISED (untrained) models in "
              + tmp
              + " — texts are noise and scores arbitrary");
    }
    List<Path> rewards = new ArrayList<>(List.of(reward));
    String rad = config.string(ArmguardConfig.MODEL_RAD_DIR);
    if (randomDir == null && !rad.isEmpty() && Files.isDirectory(Path.of(rad))) {
      rewards.add(Path.of(rad)); // the first reward model (ARM) scores prefixes; RAD only guides
    } else {
      log.println(
          "armguard: no RAD model ("
              + ArmguardConfig.MODEL_RAD_DIR
              + "): RAD requests are REJECTED");
    }
    try {
      DecodingModels models =
          DecodingModels.load(
              lm,
              rewards,
              config.string(ArmguardConfig.DEVICE),
              config.intValue(ArmguardConfig.ENGINE_THREADS));
      DeviceCopies copies;
      try {
        checkLabels(config, models);
        copies = DeviceCopies.load(config, models, lm, rewards, log);
      } catch (IOException | RuntimeException e) {
        models.close();
        throw e;
      }
      return new ServiceModels(
          models,
          copies,
          lm + " + " + rewards,
          randomDir,
          config.steeringLabel(),
          StreamBatching.fromConfig(config.string(ArmguardConfig.STREAM_SCORE_BATCHING)));
    } catch (IOException | RuntimeException e) {
      if (randomDir != null) {
        randomDir.close();
      }
      throw e;
    }
  }

  /**
   * Fails at start-up, naming the key, when {@code moderation.steering.label} or a {@code
   * toxicity.threshold.<label>} names a label the scoring reward model does not have.
   */
  private static void checkLabels(ArmguardConfig config, DecodingModels models) {
    List<String> labels = models.rewards().get(0).info().labels();
    String steering = config.steeringLabel();
    if (!steering.isEmpty() && !labels.contains(steering)) {
      throw new ConfigException(
          ArmguardConfig.MODERATION_STEERING_LABEL,
          "'" + steering + "' is not a label of the reward model; its labels: " + labels);
    }
    for (String label : config.categoryThresholds().keySet()) {
      if (!labels.contains(label)) {
        throw new ConfigException(
            ArmguardConfig.CATEGORY_THRESHOLD_PREFIX + label,
            "'" + label + "' is not a label of the reward model; its labels: " + labels);
      }
    }
  }

  /**
   * A pool handing each stream thread its own engine over these models, and the scheduler one
   * engine per decode device.
   */
  EnginePool newPool() {
    return newPool(streamBatching, e -> e);
  }

  /**
   * A pool whose engines are this pool's engines wrapped by {@code wrap} (benchmarks meter them).
   */
  EnginePool newPool(java.util.function.UnaryOperator<GuidedEngine> wrap) {
    return newPool(streamBatching, wrap);
  }

  /** As {@link #newPool(java.util.function.UnaryOperator)}, streams batched by {@code batching}. */
  EnginePool newPool(StreamBatching batching, java.util.function.UnaryOperator<GuidedEngine> wrap) {
    List<Supplier<GuidedEngine>> devices = new ArrayList<>();
    for (DecodingModels m : schedulerModels) {
      devices.add(() -> wrap.apply(m.newEngine(steeringLabel, batching)));
    }
    return EnginePool.perDevice(
        () -> wrap.apply(models.newEngine(steeringLabel, batching)), devices, models.loaded());
  }

  /** A new engine for the calling thread, steering by the configured label. */
  GuidedEngine newEngine() {
    return newEngine(streamBatching);
  }

  /** As {@link #newEngine()}, streams batched by {@code batching}. */
  GuidedEngine newEngine(StreamBatching batching) {
    return models.newEngine(steeringLabel, batching);
  }

  DecodingModels models() {
    return models;
  }

  String description() {
    return description;
  }

  boolean random() {
    return randomDir != null;
  }

  @Override
  public void close() {
    otherDevices.forEach(DecodingModels::close);
    models.close();
    if (randomDir != null) {
      randomDir.close(); // the weights are in memory by now
    }
  }
}
