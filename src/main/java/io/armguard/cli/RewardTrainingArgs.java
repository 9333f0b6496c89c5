package io.armguard.cli;

import io.armguard.reward.RewardKind;
import io.armguard.train.Freezing;
import io.armguard.train.RewardTrainingOptions;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by {@code train rad} and {@code train arm}. */
public final class RewardTrainingArgs {
  @Mixin PreparedDataOption data;

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

  @Mixin TrainingRunOptions run = new TrainingRunOptions(32, 600, 3e-4f, 50, 2.0, 100);

  /** The builder of a reward model of this kind, out, and the options above set on it. */
  RewardTrainingOptions.Builder options(RewardKind kind, Path out) {
    return run.applyTo(RewardTrainingOptions.builder(kind))
        .out(out)
        .data(data.dir())
        .initFrom(initFrom.equals("none") ? null : Path.of(initFrom))
        .freezing(new Freezing(freezeEmbeddings, freezeLayers))
        .layers(layers)
        .dModel(dModel)
        .heads(heads)
        .context(context)
        .merges(merges)
        .maxTokens(maxTokens);
  }
}
