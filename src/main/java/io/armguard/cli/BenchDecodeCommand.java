package io.armguard.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.armguard.bench.DecodeBenchResult;
import io.armguard.bench.DecodeBenchStrategy;
import io.armguard.bench.DecodeBenchmark;
import io.armguard.bench.RewardBenchStrategy;
import io.armguard.model.CausalLm;
import io.armguard.model.GptBackbone;
import io.armguard.model.GptConfig;
import io.armguard.model.ModelDirectory;
import io.armguard.reward.RewardKind;
import io.armguard.reward.RewardModelInfo;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code armguard bench decode}: tokens/s and ms/step of batched decoding per strategy. */
@Command(
    name = "decode",
    mixinStandardHelpOptions = true,
    description = {
      "Measure batched KV-cached decoding: tokens/s and ms per step for each strategy and batch"
          + " size, plus what a step costs without the KV cache (recompute_ms_per_step).",
      "Without --lm a randomly initialised model of the given shape is used; guided strategies"
          + " (arm, rad) use a random reward model of the LM's shape with --rm-layers layers unless"
          + " --reward gives a reward model directory of that kind.",
      "For each top-k and batch size the strategies' runs are interleaved (run 1 of each, then"
          + " run 2 of each, ...), so their ratios hold on a machine shared with other work;"
          + " reward_ms_per_step is the guidance's (reward model's) share of a step."
    })
public final class BenchDecodeCommand implements Callable<Integer> {

  @Option(names = "--lm", description = "language model directory (default: random model)")
  Path lm;

  @Option(
      names = "--lm-layers",
      defaultValue = "2",
      description = "random model: n_layer (default: ${DEFAULT-VALUE})")
  int layers;

  @Option(
      names = "--d-model",
      defaultValue = "256",
      description = "random model: n_embd (default: ${DEFAULT-VALUE})")
  int dModel;

  @Option(
      names = "--heads",
      defaultValue = "4",
      description = "random model: n_head (default: ${DEFAULT-VALUE})")
  int heads;

  @Option(
      names = "--vocab",
      defaultValue = "50257",
      description = "random model: vocab_size (default: ${DEFAULT-VALUE})")
  int vocab;

  @Option(
      names = "--batch",
      split = ",",
      defaultValue = "1,8,32",
      description = "batch sizes (default: ${DEFAULT-VALUE})")
  List<Integer> batches;

  @Option(
      names = "--new-tokens",
      defaultValue = "32",
      description = "tokens per sequence (default: ${DEFAULT-VALUE})")
  int newTokens;

  @Option(
      names = "--prompt-tokens",
      defaultValue = "16",
      description = "prompt length (default: ${DEFAULT-VALUE})")
  int promptTokens;

  @Option(
      names = "--top-k",
      split = ",",
      defaultValue = "20",
      description = "top-k values, comma-separated (default: ${DEFAULT-VALUE})")
  List<Integer> topKs;

  @Option(
      names = "--rm-layers",
      defaultValue = "-1",
      description = "random reward model: n_layer (default: half the LM's layers, at least 1)")
  int rmLayers;

  @Option(
      names = "--reward",
      description = "reward model directory (arm or rad kind; repeat for both)")
  List<Path> rewards = new java.util.ArrayList<>();

  @Option(
      names = {"--strategy", "--strategies"},
      split = ",",
      defaultValue = "unguided",
      description = "strategies to measure, comma-separated (available: ${COMPLETION-CANDIDATES})",
      completionCandidates = StrategyNames.class)
  List<String> strategies;

  @Option(
      names = "--warmup",
      defaultValue = "1",
      description = "untimed runs first (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(
      names = "--runs",
      defaultValue = "3",
      description = "timed runs, medians reported (default: ${DEFAULT-VALUE})")
  int runs;

  @Option(
      names = "--skip-recompute",
      description = "do not time the uncached forward (recompute_ms_per_step = -1)")
  boolean skipRecompute;

  @Option(
      names = "--json",
      description = "print one JSON object per line (default: a readable table)")
  boolean json;

  @Mixin RuntimeOptions runtime;

  /** Strategies this command can measure, by name. */
  static Map<String, DecodeBenchStrategy> available() {
    return available(1, Map.of());
  }

  /**
   * Strategies by name: unguided, arm and rad (random reward models with {@code rmLayers} layers,
   * or the given directories by kind).
   */
  static Map<String, DecodeBenchStrategy> available(int rmLayers, Map<RewardKind, Path> dirs) {
    Map<String, DecodeBenchStrategy> m = new LinkedHashMap<>();
    m.put(DecodeBenchStrategy.UNGUIDED.name(), DecodeBenchStrategy.UNGUIDED);
    for (RewardKind kind : RewardKind.values()) {
      DecodeBenchStrategy s = new RewardBenchStrategy(kind, rmLayers, dirs.get(kind));
      m.put(s.name(), s);
    }
    return m;
  }

  /** The reward directories by the kind their armguard.json declares. */
  private Map<RewardKind, Path> rewardDirs() throws java.io.IOException {
    Map<RewardKind, Path> dirs = new java.util.EnumMap<>(RewardKind.class);
    for (Path dir : rewards) {
      RewardKind kind = RewardModelInfo.read(dir).kind();
      if (dirs.put(kind, dir) != null) {
        throw new IllegalArgumentException("two --reward directories of kind " + kind.jsonName());
      }
    }
    return dirs;
  }

  /** Completion candidates for --strategy. */
  static final class StrategyNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return available().keySet().iterator();
    }
  }

  private static String row(DecodeBenchResult r) {
    return String.format(
        "%-10s batch %3d  k %3d  %8.1f tokens/s  %7.2f ms/step (reward %6.2f)  prefill %7.2f ms"
            + "  recompute %7.2f ms/step",
        r.strategy(),
        r.batch(),
        r.topK(),
        r.tokensPerS(),
        r.msPerStep(),
        r.rewardMsPerStep(),
        r.prefillMs(),
        r.recomputeMsPerStep());
  }

  @Override
  public Integer call() throws Exception {
    int rm = rmLayers > 0 ? rmLayers : Math.max(1, layers / 2);
    Map<String, DecodeBenchStrategy> known = available(rm, rewardDirs());
    for (String s : strategies) {
      if (!known.containsKey(s)) {
        throw new IllegalArgumentException(
            "unknown strategy '" + s + "', available: " + known.keySet());
      }
    }
    Device device = runtime.apply();
    Gson gson =
        new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
            .create();
    try (NDManager manager = NDManager.newBaseManager(device)) {
      CausalLm model;
      String modelName;
      if (lm != null) {
        ModelDirectory.Loaded loaded = ModelDirectory.load(lm, manager);
        if (loaded.tokenizer() != null) {
          loaded.tokenizer().close();
        }
        model = loaded.lm().forInference();
        modelName = loaded.id();
      } else {
        GptConfig config =
            GptConfig.of(vocab, Math.max(1024, promptTokens + newTokens), dModel, layers, heads);
        model = new CausalLm(GptBackbone.randomlyInitialized(config, manager, 0)).forInference();
        modelName = String.format("random:L%d-d%d-h%d-V%d", layers, dModel, heads, vocab);
      }
      int total = strategies.size() * batches.size() * topKs.size() * (warmup + runs);
      try (ProgressBar bar =
          TerminalProgress.quietOffTerminal(
                  new ProgressBarBuilder().setTaskName("bench decode").setInitialMax(total))
              .build()) {
        List<DecodeBenchStrategy> chosen = strategies.stream().map(known::get).toList();
        for (int topK : topKs) {
          DecodeBenchmark bench =
              new DecodeBenchmark(
                  model,
                  manager,
                  new DecodeBenchmark.Settings(
                      promptTokens, newTokens, topK, 1f, warmup, runs, !skipRecompute));
          for (int batch : batches) {
            // runs interleaved across strategies: shared-CPU noise hits all of them alike
            for (DecodeBenchResult r :
                bench.runInterleaved(
                    chosen, batch, runtime.threads(), device.toString(), modelName, bar::step)) {
              System.out.println(json ? gson.toJson(r) : row(r));
            }
            System.out.flush();
          }
        }
      }
    }
    return 0;
  }
}
