package io.armguard.cli;

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
  @Mixin PreparedDataOption data;

  @Mixin ModelOutputOption output = new ModelOutputOption("runs/lm");

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
      names = "--init-from",
      description =
          "start from the first --layers layers of a pretrained backbone directory (e.g. an"
              + " imported MiniLM), made causal, with its tokenizer and its frozen word embeddings"
              + " as the tied LM head (--d-model, --heads, --vocab-merges are then ignored)")
  Path initFrom;

  @Option(
      names = "--tokenizer-from",
      description =
          "a GPT-2 from scratch with the tokenizer.json of this model directory instead of GPT-2's"
              + " BPE (e.g. an imported MiniLM: the LM then shares the reward models' vocabulary;"
              + " --vocab-merges is then ignored; not with --init-from)")
  Path tokenizerFrom;

  @Option(
      names = "--chat-replies",
      description =
          "add the clean replies of this reply set's training batches (prompt + reply) to the"
              + " corpus, e.g. data/replies")
  Path chatReplies;

  @Mixin TrainingRunOptions run = new TrainingRunOptions(16, 1200, 1e-3f, 100, 1.0, 100);

  @Mixin RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    Path out = output.checked();
    LmTrainingOptions options =
        run.applyTo(LmTrainingOptions.builder())
            .out(out)
            .data(data.dir())
            .layers(layers)
            .dModel(dModel)
            .heads(heads)
            .context(context)
            .merges(merges)
            .evalEvery(evalEvery)
            .evalWindows(evalWindows)
            .initFrom(initFrom)
            .tokenizerFrom(tokenizerFrom)
            .chatReplies(chatReplies)
            .build();
    return TrainingRunOptions.trainAndPrint(
        runtime, new LmTrainer(options, line -> System.err.println("train lm: " + line))::train);
  }
}
