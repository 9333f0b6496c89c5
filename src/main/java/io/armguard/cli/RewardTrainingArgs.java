package io.armguard.cli;

import io.armguard.reward.RewardKind;
import io.armguard.train.Freezing;
import io.armguard.train.RewardTrainingOptions;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Options shared by {@code train rad} and {@code train arm}. */
public final class RewardTrainingArgs {
  @Option(
      names = "--data",
      defaultValue = "work-data",
      description = "prepared data (default: ${DEFAULT-VALUE})")
  Path data;

  @Option(
      names = "--init-from",
      defaultValue = "models/lm",
      description =
          "LM or imported encoder directory (GPT-2 or BERT layout) whose embeddings and first blocks start the backbone, or 'none' for"
              + " a random init (default: ${DEFAULT-VALUE})")
  String initFrom;

  @Option(
      names = "--freeze-embeddings",
      description =
          "keep the backbone's embedding tables (and BERT's embedding LayerNorm) fixed; ARM"
              + " always keeps its token embedding fixed")
  boolean freezeEmbeddings;

  @Option(
      names = "--freeze-layers",
      defaultValue = "0",
      description = "keep the lowest N blocks fixed (default: ${DEFAULT-VALUE})")
  int freezeLayers;

  @Option(
      names = "--layers",
      defaultValue = "2",
      description = "transformer blocks (default: ${DEFAULT-VALUE})")
  int layers;

  @Option(
      names = "--d-model",
      defaultValue = "192",
      description = "hidden size, only with --init-from none (default: ${DEFAULT-VALUE})")
  int dModel;

  @Option(
      names = "--heads",
      defaultValue = "4",
      description = "heads, only with --init-from none (default: ${DEFAULT-VALUE})")
  int heads;

  @Option(
      names = "--context",
      defaultValue = "128",
      description = "context, only with --init-from none (default: ${DEFAULT-VALUE})")
  int context;

  @Option(
      names = "--vocab-merges",
      defaultValue = "8000",
      description = "GPT-2 merges, only with --init-from none (default: ${DEFAULT-VALUE})")
  int merges;

  @Option(
      names = "--max-tokens",
      defaultValue = "64",
      description = "texts are cut to this many tokens (default: ${DEFAULT-VALUE})")
  int maxTokens;

  @Option(
      names = "--batch",
      defaultValue = "32",
      description = "texts per step (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(
      names = "--steps",
      defaultValue = "600",
      description = "optimizer steps (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(
      names = "--lr",
      defaultValue = "3e-4",
      description = "peak learning rate (default: ${DEFAULT-VALUE})")
  float lr;

  @Option(
      names = "--warmup",
      defaultValue = "50",
      description = "linear warm-up steps (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(
      names = "--clip",
      defaultValue = "2.0",
      description = "global gradient-norm clip (paper: 2.0) (default: ${DEFAULT-VALUE})")
  double clip;

  @Option(
      names = "--weight-decay",
      defaultValue = "0.01",
      description = "AdamW weight decay on matrices (default: ${DEFAULT-VALUE})")
  float weightDecay;

  @Option(
      names = "--seed",
      defaultValue = "1234",
      description = "initialisation and batch-order seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--checkpoint-every",
      defaultValue = "100",
      description = "steps between checkpoints (default: ${DEFAULT-VALUE})")
  int checkpointEvery;

  @Option(names = "--restart", description = "discard an existing checkpoint instead of resuming")
  boolean restart;

  RewardTrainingOptions options(
      RewardKind kind,
      RewardTrainingOptions.Regime regime,
      Path out,
      Path teacher,
      float regulariser,
      int threads) {
    Path init = initFrom.equals("none") ? null : Path.of(initFrom);
    String name = kind.name().toLowerCase(Locale.ROOT);
    StringBuilder command = new StringBuilder("./armguard train " + name);
    if (regime != null) {
      command.append(" --regime ").append(regime.name().toLowerCase(Locale.ROOT));
      if (teacher != null) {
        command.append(" --teacher ").append(teacher);
      }
      command.append(" --regulariser ").append(regulariser);
    }
    command.append(
        String.format(
            Locale.ROOT,
            " --data %s --out %s --init-from %s --layers %d --max-tokens %d --batch %d --steps %d"
                + " --lr %s --warmup %d --clip %s --weight-decay %s --seed %d --threads %d",
            data,
            out,
            initFrom,
            layers,
            maxTokens,
            batch,
            steps,
            lr,
            warmup,
            clip,
            weightDecay,
            seed,
            threads));
    if (freezeEmbeddings) {
      command.append(" --freeze-embeddings");
    }
    if (freezeLayers > 0) {
      command.append(" --freeze-layers ").append(freezeLayers);
    }
    if (init == null) {
      command.append(
          String.format(
              Locale.ROOT,
              " --d-model %d --heads %d --context %d --vocab-merges %d",
              dModel,
              heads,
              context,
              merges));
    }
    return new RewardTrainingOptions(
            kind,
            regime,
            data,
            out,
            teacher,
            init,
            layers,
            dModel,
            heads,
            context,
            merges,
            maxTokens,
            batch,
            steps,
            lr,
            warmup,
            clip,
            weightDecay,
            regulariser,
            seed,
            checkpointEvery,
            restart,
            command.toString())
        .withFreezing(new Freezing(freezeEmbeddings, freezeLayers));
  }
}
