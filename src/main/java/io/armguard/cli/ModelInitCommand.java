package io.armguard.cli;

import ai.djl.ndarray.NDManager;
import io.armguard.model.Gpt2TokenizerBuilder;
import io.armguard.model.GptBackbone;
import io.armguard.model.GptConfig;
import io.armguard.model.ModelDirectory;
import io.armguard.model.SafetensorsDType;
import io.armguard.model.TextTokenizer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code armguard model init}: writes a randomly initialised GPT-2 directory with its tokenizer.
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Write a randomly initialised GPT-2-architecture model directory (config.json,"
          + " model.safetensors, tokenizer.json), e.g. as the starting point of training.",
      "The tokenizer is GPT-2's byte-level BPE cut to the first --vocab-merges merges;"
          + " vocab_size = 256 + merges + 1 (<|endoftext|> last)."
    })
public final class ModelInitCommand implements Callable<Integer> {

  @Option(
      names = "--out",
      required = true,
      description = "directory to write (created if needed; an existing model needs --force)")
  Path out;

  @Mixin OutputGuard.Force force;

  @Option(
      names = "--layers",
      defaultValue = "2",
      description = "n_layer (default: ${DEFAULT-VALUE})")
  int layers;

  @Option(
      names = "--d-model",
      defaultValue = "128",
      description = "n_embd (default: ${DEFAULT-VALUE})")
  int dModel;

  @Option(names = "--heads", defaultValue = "4", description = "n_head (default: ${DEFAULT-VALUE})")
  int heads;

  @Option(
      names = "--vocab-merges",
      defaultValue = "" + Gpt2TokenizerBuilder.FULL_MERGES,
      description =
          "BPE merges kept, 0..50000 (default: ${DEFAULT-VALUE} = GPT-2's full vocabulary)")
  int merges;

  @Option(
      names = "--context",
      defaultValue = "256",
      description = "n_positions (default: ${DEFAULT-VALUE})")
  int context;

  @Option(
      names = "--activation",
      defaultValue = "gelu_new",
      description = "activation_function (default: ${DEFAULT-VALUE})")
  String activation;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "initialisation seed (default: ${DEFAULT-VALUE})")
  int seed;

  @Option(
      names = "--dtype",
      defaultValue = "F32",
      description = "F32 or F16 (default: ${DEFAULT-VALUE})")
  SafetensorsDType dtype;

  @Override
  public Integer call() throws Exception {
    OutputGuard.modelDirectory(out, force.force);
    int vocab = Gpt2TokenizerBuilder.vocabSize(merges);
    GptConfig config =
        new GptConfig(
            vocab, context, dModel, layers, heads, activation, 1e-5f, vocab - 1, vocab - 1);
    try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu());
        TextTokenizer tokenizer = TextTokenizer.gpt2(merges)) {
      GptBackbone backbone = GptBackbone.randomlyInitialized(config, manager, seed);
      ModelDirectory.save(out, backbone, Map.of(), tokenizer, dtype);
      long params =
          backbone.namedParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
      System.out.printf(
          "wrote %s: %d parameters, vocab %d, d_model %d, %d layers, %d heads, context %d, id %s%n",
          out, params, vocab, dModel, layers, heads, context, ModelDirectory.id(out));
    }
    return 0;
  }
}
