package io.armguard.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.armguard.decode.DecodeRequest;
import io.armguard.decode.DecodeResult;
import io.armguard.decode.DecodingEngine;
import io.armguard.decode.SteeringDirection;
import io.armguard.decode.Strategy;
import io.armguard.model.ModelDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code armguard generate}: continues one prompt with a language model (unguided top-k). */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Continue a prompt with a GPT-2-layout language model directory (config.json,"
          + " model.safetensors, tokenizer.json): top-k sampling, KV-cached, no guidance.",
      "Prints the continuation (without the prompt) on stdout."
    })
public final class GenerateCommand implements Callable<Integer> {

  @Option(names = "--lm", required = true, description = "language model directory")
  Path lm;

  @Option(names = "--prompt", required = true, description = "text to continue")
  String prompt;

  @Option(
      names = "--top-k",
      defaultValue = "20",
      description = "candidates sampled from (default: ${DEFAULT-VALUE})")
  int topK;

  @Option(
      names = "--temperature",
      defaultValue = "1.0",
      description = "sampling temperature; 0 = greedy (default: ${DEFAULT-VALUE})")
  float temperature;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "random seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--max-new-tokens",
      defaultValue = "32",
      description =
          "tokens to generate at most; stops earlier at <|endoftext|> (default: ${DEFAULT-VALUE})")
  int maxNewTokens;

  @Mixin RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    Device device = runtime.apply();
    try (NDManager manager = NDManager.newBaseManager(device)) {
      ModelDirectory.Loaded model = ModelDirectory.load(lm, manager);
      if (model.tokenizer() == null) {
        throw new IllegalArgumentException(lm + " has no " + ModelDirectory.TOKENIZER);
      }
      try (var tokenizer = model.tokenizer();
          DecodingEngine engine =
              new DecodingEngine(
                  model.lm().forInference(), tokenizer, model.id(), List.of(), null, manager)) {
        DecodeRequest request =
            new DecodeRequest(
                "cli",
                prompt,
                maxNewTokens,
                topK,
                temperature,
                seed,
                Strategy.UNGUIDED,
                0f,
                SteeringDirection.AWAY_FROM_LABEL);
        DecodeResult result = engine.generate(List.of(request)).get(0);
        System.out.println(result.text());
      }
    }
    return 0;
  }
}
