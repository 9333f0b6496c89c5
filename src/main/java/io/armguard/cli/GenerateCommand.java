package io.armguard.cli;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.GsonBuilder;
import io.armguard.decode.DecodeRequest;
import io.armguard.decode.DecodeResult;
import io.armguard.decode.DecodingModels;
import io.armguard.decode.GuidedEngine;
import io.armguard.decode.SteeringDirection;
import io.armguard.decode.Strategy;
import io.armguard.reward.RewardModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code armguard generate}: continues one prompt, unguided or guided by an ARM/RAD reward model.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Continue a prompt with a GPT-2-layout language model directory (config.json,"
          + " model.safetensors, tokenizer.json): top-k sampling, KV-cached, optionally guided by"
          + " a reward model directory (ARM or RAD, with armguard.json): the top-k logits get"
          + " beta * (1 - r) (away from the label) or beta * r (toward it).",
      "Prints the continuation (without the prompt) on stdout; with --json one JSON object with"
          + " the token ids, each token's reward and the guidance statistics."
    })
public final class GenerateCommand implements Callable<Integer> {

  @Option(names = "--lm", required = true, description = "language model directory")
  Path lm;

  @Option(
      names = "--reward",
      description = "reward model directory (ARM or RAD); repeat to load one of each kind")
  List<Path> rewards = new ArrayList<>();

  @Option(names = "--prompt", required = true, description = "text to continue")
  String prompt;

  @Option(
      names = "--strategy",
      description = "unguided, arm or rad (default: the kind of the first --reward, else unguided)")
  Strategy strategy;

  @Option(
      names = "--beta",
      defaultValue = "10",
      description = "guidance strength: largest logit bonus (default: ${DEFAULT-VALUE})")
  float beta;

  @Option(
      names = "--direction",
      description =
          "away_from_label (detox) or toward_label (default: the reward model's"
              + " default_direction)")
  SteeringDirection direction;

  @Option(
      names = "--top-k",
      defaultValue = "20",
      description = "candidates sampled from (default: ${DEFAULT-VALUE})")
  int topK;

  @Option(
      names = "--temperature",
      defaultValue = "1.0",
      description =
          "sampling temperature; 0 = greedy over the guided logits (default: ${DEFAULT-VALUE})")
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

  @Option(names = "--json", description = "print the whole result as one JSON object")
  boolean json;

  @Mixin RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    if (!(beta >= 0f) || Float.isInfinite(beta)) {
      throw new IllegalArgumentException("--beta must be finite and >= 0, got " + beta);
    }
    try (DecodingModels models = DecodingModels.load(lm, rewards, runtime.apply());
        GuidedEngine engine = models.newEngine()) {
      List<RewardModel> loaded = models.rewards();
      Strategy chosen = strategy;
      if (chosen == null) {
        chosen =
            loaded.isEmpty()
                ? Strategy.UNGUIDED
                : Strategy.valueOf(loaded.get(0).info().kind().name());
      }
      SteeringDirection dir = direction;
      if (dir == null) {
        dir =
            loaded.isEmpty()
                ? SteeringDirection.AWAY_FROM_LABEL
                : SteeringDirection.valueOf(loaded.get(0).info().defaultDirection());
      }
      DecodeRequest request =
          new DecodeRequest(
              "cli",
              prompt,
              maxNewTokens,
              topK,
              temperature,
              seed,
              chosen,
              chosen == Strategy.UNGUIDED ? 0f : beta,
              dir);
      DecodeResult result = engine.generate(List.of(request)).get(0);
      if (json) {
        System.out.println(
            new GsonBuilder()
                .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
                .serializeSpecialFloatingPointValues()
                .create()
                .toJson(new GenerateOutput(request, engine.lmId(), engine.rewardId(), result)));
      } else {
        System.out.println(result.text());
        if (chosen != Strategy.UNGUIDED) {
          System.err.printf(
              Locale.ROOT,
              "%s beta %.2f %s: %d tokens, guidance changed %d of %d steps, mean reward shift"
                  + " %+.4f%n",
              chosen,
              beta,
              dir.name().toLowerCase(Locale.ROOT),
              result.tokenIds().length,
              result.stats().changedSteps(),
              result.stats().steps(),
              result.stats().meanRewardShift());
        }
      }
    }
    return 0;
  }

  /** What {@code --json} prints. */
  record GenerateOutput(DecodeRequest request, String lmId, String rewardId, DecodeResult result) {}
}
