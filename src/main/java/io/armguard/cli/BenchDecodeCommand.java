package io.armguard.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.armguard.bench.DecodeBenchResult;
import io.armguard.bench.DecodeBenchStrategy;
import io.armguard.bench.DecodeBenchmark;
import io.armguard.bench.DecodeRooflineResult;
import io.armguard.bench.RewardBenchStrategy;
import io.armguard.bench.Roofline;
import io.armguard.bench.RooflineProbe;
import io.armguard.bench.WeightChain;
import io.armguard.model.CausalLm;
import io.armguard.model.GptBackbone;
import io.armguard.model.GptConfig;
import io.armguard.model.ModelDirectory;
import io.armguard.reward.RewardKind;
import io.armguard.reward.RewardModelInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
          + " reward_ms_per_step is the guidance's (reward model's) share of a step.",
      "--roofline adds, measured in the same run through the same engine: this machine's memory"
          + " bandwidth and fp32 matmul peak (one \"decode-roofline-probe\" line), and per"
          + " strategy and batch size a \"decode-roofline\" line with the same-shape weight-matmul"
          + " chain (per layer [d,3d], [d,d], [d,4d], [4d,d], then the LM head [d,vocab] on a"
          + " [B,d] input; attention, norms and sampling left out: chain_ms), the memory roofline"
          + " (fp32 weight bytes / bandwidth) and FLOP roofline (2 x parameters x B / peak), the"
          + " ratios step_over_chain and step_over_memory_roofline, tokens/s relative to batch 1"
          + " and whether each target is met (step <= 1.25x chain; <= 1.5x memory roofline at"
          + " B=1; B=32 >= 8x the tokens/s of B=1). The other lines are unchanged."
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

  @Option(
      names = "--roofline",
      description =
          "also measure the machine's bandwidth, matmul peak and the same-shape weight chain per"
              + " batch size, and print each step next to them (see above)")
  boolean roofline;

  @Option(
      names = "--probe-mb",
      defaultValue = "512",
      description =
          "--roofline: MiB of fp32 the bandwidth probe sums (best of --probe-runs; default:"
              + " ${DEFAULT-VALUE})")
  int probeMb;

  @Option(
      names = "--probe-gemm",
      defaultValue = "2048",
      description =
          "--roofline: n of the n x n x n fp32 matmul timed for the peak (best of --probe-runs;"
              + " default: ${DEFAULT-VALUE})")
  int probeGemm;

  @Option(
      names = "--probe-runs",
      defaultValue = "5",
      description =
          "--roofline: timed runs of each probe after one untimed; the chain reports the median"
              + " (default: ${DEFAULT-VALUE})")
  int probeRuns;

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

  private static String row(DecodeRooflineResult r) {
    return String.format(
        "%-10s batch %3d  k %3d  step %7.2f ms  chain %7.2f ms (x%.2f)  memory roofline %7.2f ms"
            + " (x%.2f)  flop roofline %7.2f ms  tokens/s vs B=1 %s",
        r.strategy(),
        r.batch(),
        r.topK(),
        r.msPerStep(),
        r.chainMs(),
        r.stepOverChain(),
        r.memoryRooflineMs(),
        r.stepOverMemoryRoofline(),
        r.flopRooflineMs(),
        r.tokensPerSVsB1() == null ? "-" : String.format("x%.2f", r.tokensPerSVsB1()));
  }

  private static String row(DecodeRooflineResult.Probe p) {
    return String.format(
        "probe: bandwidth %.2f GB/s (%d MB summed), matmul %.1f GFLOP/s (n=%d), chain %d x %d"
            + " vocab %d: %.1f MB fp32, memory roofline %.2f ms/step",
        p.bandwidthGbPerS(),
        p.bandwidthProbeBytes() >> 20,
        p.matmulGflopPerS(),
        p.matmulN(),
        p.chainLayers(),
        p.chainDModel(),
        p.chainVocab(),
        p.weightBytes() / 1e6,
        p.memoryRooflineMs());
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
            .serializeNulls()
            .create();
    RooflineProbe.Settings probeSettings =
        roofline ? new RooflineProbe.Settings((long) probeMb << 20, probeGemm, probeRuns) : null;
    try (NDManager manager = NDManager.newBaseManager(device);
        RooflineProbe probe = roofline ? new RooflineProbe(manager, probeSettings) : null) {
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
      WeightChain chain =
          new WeightChain(
              model.config().layerCount(), model.config().hiddenSize(), model.config().vocabSize());
      Roofline machine = null;
      if (probe != null) {
        machine = new Roofline(probe.bandwidthGbPerS(), probe.matmulGflopPerS());
        DecodeRooflineResult.Probe p =
            DecodeRooflineResult.Probe.of(
                machine, probeSettings, chain, runtime.threads(), device.toString(), modelName);
        System.out.println(json ? gson.toJson(p) : row(p));
        System.out.flush();
      }
      Map<Integer, Double> chainMs = new HashMap<>();
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
          List<DecodeBenchResult> measured = new ArrayList<>();
          for (int batch : batches) {
            // runs interleaved across strategies: shared-CPU noise hits all of them alike
            for (DecodeBenchResult r :
                bench.runInterleaved(
                    chosen, batch, runtime.threads(), device.toString(), modelName, bar::step)) {
              System.out.println(json ? gson.toJson(r) : row(r));
              measured.add(r);
            }
            if (probe != null) {
              // right after this batch size's decode runs, so drifting load hits both alike
              chainMs.computeIfAbsent(batch, b -> probe.chainMs(chain, b));
            }
            System.out.flush();
          }
          if (machine != null) {
            for (DecodeRooflineResult r :
                DecodeRooflineResult.compare(measured, chainMs, machine, chain)) {
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
