package io.armguard.cli;

import ai.djl.ndarray.NDManager;
import io.armguard.train.LmTrainer;
import io.armguard.train.LmTrainingOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code armguard train lm}: the base causal language model. */
@Command(
    name = "lm",
    mixinStandardHelpOptions = true,
    description = {
      "Train the base causal LM (GPT-2 architecture) from scratch on the prepared corpus: causal LM"
          + " loss, AdamW, linear warm-up + cosine decay, gradient clipping; validation perplexity.",
      "Resumes from <out>/checkpoint when one exists (same settings); --restart discards it."
          + " Writes config.json, model.safetensors (F16), tokenizer.json, README.md, training.json.",
      "Prints the final facts as one JSON line."
    })
public final class TrainLmCommand implements Callable<Integer> {
  @Option(
      names = "--data",
      defaultValue = "work-data",
      description = "prepared data (default: ${DEFAULT-VALUE})")
  Path data;

  @Option(
      names = "--out",
      defaultValue = "runs/lm",
      description = "model directory (default: ${DEFAULT-VALUE}; an existing model needs --force)")
  Path out;

  @Mixin OutputGuard.Force force;

  @Option(
      names = "--layers",
      defaultValue = "4",
      description = "transformer blocks (default: ${DEFAULT-VALUE})")
  int layers;

  @Option(
      names = "--d-model",
      defaultValue = "192",
      description = "hidden size (default: ${DEFAULT-VALUE})")
  int dModel;

  @Option(
      names = "--heads",
      defaultValue = "4",
      description = "attention heads (default: ${DEFAULT-VALUE})")
  int heads;

  @Option(
      names = "--context",
      defaultValue = "128",
      description = "context length = training window (default: ${DEFAULT-VALUE})")
  int context;

  @Option(
      names = "--vocab-merges",
      defaultValue = "8000",
      description = "GPT-2 BPE merges kept; vocab = 257 + N (default: ${DEFAULT-VALUE})")
  int merges;

  @Option(
      names = "--batch",
      defaultValue = "16",
      description = "windows per step (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(
      names = "--steps",
      defaultValue = "1200",
      description = "optimizer steps (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(
      names = "--lr",
      defaultValue = "1e-3",
      description = "peak learning rate (default: ${DEFAULT-VALUE})")
  float lr;

  @Option(
      names = "--warmup",
      defaultValue = "100",
      description = "linear warm-up steps (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(
      names = "--clip",
      defaultValue = "1.0",
      description = "global gradient-norm clip (default: ${DEFAULT-VALUE})")
  double clip;

  @Option(
      names = "--weight-decay",
      defaultValue = "0.01",
      description = "AdamW weight decay on matrices (default: ${DEFAULT-VALUE})")
  float weightDecay;

  @Option(
      names = "--seed",
      defaultValue = "1234",
      description = "initialisation and batch seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--eval-every",
      defaultValue = "250",
      description = "steps between quick validation checks, 0 = none (default: ${DEFAULT-VALUE})")
  int evalEvery;

  @Option(
      names = "--eval-windows",
      defaultValue = "64",
      description = "windows in a quick validation check (default: ${DEFAULT-VALUE})")
  int evalWindows;

  @Option(
      names = "--checkpoint-every",
      defaultValue = "100",
      description = "steps between checkpoints (default: ${DEFAULT-VALUE})")
  int checkpointEvery;

  @Option(
      names = "--init-from",
      description =
          "start from the first --layers layers of a pretrained backbone directory (e.g. an"
              + " imported MiniLM), made causal, with its tokenizer and its frozen word embeddings"
              + " as the tied LM head (--d-model, --heads, --vocab-merges are then ignored)")
  Path initFrom;

  @Option(
      names = "--chat-replies",
      description =
          "add the clean replies of this reply set's training batches (prompt + reply) to the"
              + " corpus, e.g. data/replies")
  Path chatReplies;

  @Option(names = "--restart", description = "discard an existing checkpoint instead of resuming")
  boolean restart;

  @Mixin RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    OutputGuard.modelDirectory(out, force.force);
    String command =
        String.format(
            java.util.Locale.ROOT,
            "./armguard train lm --data %s --out %s --layers %d --d-model %d --heads %d --context %d"
                + " --vocab-merges %d --batch %d --steps %d --lr %s --warmup %d --clip %s"
                + " --weight-decay %s --seed %d --threads %d",
            data,
            out,
            layers,
            dModel,
            heads,
            context,
            merges,
            batch,
            steps,
            lr,
            warmup,
            clip,
            weightDecay,
            seed,
            runtime.threads());
    LmTrainingOptions options =
        new LmTrainingOptions(
            data,
            out,
            layers,
            dModel,
            heads,
            context,
            merges,
            batch,
            steps,
            lr,
            warmup,
            clip,
            weightDecay,
            seed,
            evalEvery,
            evalWindows,
            checkpointEvery,
            restart,
            command,
            initFrom,
            chatReplies);
    try (NDManager root = NDManager.newBaseManager(runtime.apply())) {
      var facts =
          new LmTrainer(options, line -> System.err.println("train lm: " + line)).train(root);
      facts.remove("history");
      System.out.println(facts);
    }
    return 0;
  }
}
