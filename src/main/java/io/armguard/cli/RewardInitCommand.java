package io.armguard.cli;

import ai.djl.ndarray.NDManager;
import io.armguard.decode.SteeringDirection;
import io.armguard.model.ModelDirectory;
import io.armguard.model.SafetensorsDType;
import io.armguard.reward.RewardKind;
import io.armguard.reward.RewardModel;
import io.armguard.reward.RewardModelInfo;
import io.armguard.reward.RewardModels;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code armguard reward init}: a reward model directory with a new head on an LM's backbone. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Write a reward model directory (config.json, model.safetensors, tokenizer.json,"
          + " armguard.json) whose backbone is the first --layers blocks of a language model"
          + " directory and whose ARM or RAD head is newly initialised: the starting point of"
          + " training, or an untrained model to try guided decoding with."
    })
public final class RewardInitCommand implements Callable<Integer> {

  @Option(names = "--lm", required = true, description = "language model directory to start from")
  Path lm;

  @Option(
      names = "--out",
      required = true,
      description = "directory to write (created if needed; an existing model needs --force)")
  Path out;

  @Mixin OutputGuard.Force force;

  @Option(names = "--kind", required = true, description = "arm or rad")
  String kind;

  @Option(
      names = "--layers",
      description = "backbone blocks kept from the LM (default: half of them, at least 1)")
  Integer layers;

  @Option(
      names = "--labels",
      split = ",",
      defaultValue = "toxicity",
      description = "head outputs, comma-separated (default: ${DEFAULT-VALUE})")
  List<String> labels;

  @Option(
      names = "--steering-label",
      description = "the label that steers decoding (default: the first label)")
  String steeringLabel;

  @Option(
      names = "--direction",
      defaultValue = "AWAY_FROM_LABEL",
      description =
          "default steering direction: away_from_label or toward_label (default: ${DEFAULT-VALUE})")
  SteeringDirection direction;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "head initialisation seed (default: ${DEFAULT-VALUE})")
  int seed;

  @Override
  public Integer call() throws Exception {
    OutputGuard.modelDirectory(out, force.force);
    RewardModelInfo info =
        new RewardModelInfo(
            RewardKind.parse(kind),
            labels,
            steeringLabel == null ? labels.get(0) : steeringLabel,
            direction.name(),
            ModelDirectory.id(lm));
    try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      ModelDirectory.Loaded base = ModelDirectory.load(lm, manager);
      if (base.tokenizer() == null) {
        throw new IllegalArgumentException(lm + " has no " + ModelDirectory.TOKENIZER);
      }
      try (var tokenizer = base.tokenizer()) {
        int n = layers != null ? layers : Math.max(1, base.config().layerCount() / 2);
        ai.djl.engine.Engine.getInstance().setRandomSeed(seed);
        RewardModel model =
            RewardModels.fromLanguageModel(base.backbone(), n, info, tokenizer, manager);
        model.save(out, SafetensorsDType.F32);
        System.out.printf(
            "wrote %s: %s head (%s, steering %s %s) on %d of %d layers of %s, id %s%n",
            out,
            info.kind().jsonName(),
            String.join(",", info.labels()),
            info.steeringLabel(),
            direction.name().toLowerCase(java.util.Locale.ROOT),
            n,
            base.config().layerCount(),
            base.id(),
            ModelDirectory.id(out));
      }
    }
    return 0;
  }
}
