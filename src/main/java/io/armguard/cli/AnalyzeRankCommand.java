package io.armguard.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.armguard.data.PreparedData;
import io.armguard.eval.NumericalRank;
import io.armguard.eval.RewardMatrix;
import io.armguard.eval.XyPlot;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.RewardModel;
import io.armguard.reward.RewardModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code armguard analyze rank}: numerical rank of the prefix x vocabulary reward matrix. */
@Command(
    name = "rank",
    mixinStandardHelpOptions = true,
    description = {
      "The ARM paper's low-rank analysis: sample N prefixes of held-out text, score every token of"
          + " the vocabulary after each with the reward model (an N x |V| matrix), and count the"
          + " singular values above cutoff x sigma_max. Prints one JSON line per (model, N) and"
          + " writes a PNG of rank vs N and of the singular-value spectrum."
    })
public final class AnalyzeRankCommand implements Callable<Integer> {
  @Option(
      names = "--reward",
      split = ",",
      defaultValue = "models/arm",
      description = "reward models (default: ${DEFAULT-VALUE})")
  List<Path> rewards;

  @Option(
      names = "--data",
      defaultValue = "work-data",
      description = "prepared data; prefixes come from held-out text (default: ${DEFAULT-VALUE})")
  Path data;

  @Option(
      names = "--n",
      split = ",",
      defaultValue = "16,32,64,128,256",
      description = "prefix counts (default: ${DEFAULT-VALUE})")
  List<Integer> counts;

  @Option(
      names = "--cutoff",
      defaultValue = "1e-3",
      description = "relative singular-value cutoff (default: ${DEFAULT-VALUE})")
  double cutoff;

  @Option(
      names = "--seed",
      defaultValue = "1234",
      description = "prefix sampling seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--plot",
      defaultValue = "runs/eval/rank.png",
      description = "rank vs N PNG (default: ${DEFAULT-VALUE})")
  Path plot;

  @Option(
      names = "--spectrum-plot",
      defaultValue = "runs/eval/rank-spectrum.png",
      description = "singular values PNG (default: ${DEFAULT-VALUE})")
  Path spectrumPlot;

  @Mixin OutputGuard.Force force;

  @Mixin RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    OutputGuard.file(plot, force.force);
    OutputGuard.file(spectrumPlot, force.force);
    var device = runtime.apply();
    int n = Collections.max(counts);
    List<String> texts = PreparedData.readLines(data.resolve(PreparedData.LM_HELDOUT));
    XyPlot rankPlot =
        new XyPlot("Numerical rank of the N x |V| reward matrix", "N (prefixes)", "rank", false);
    XyPlot spectrum = new XyPlot("Singular values (largest N)", "index", "sigma / sigma_max", true);
    for (Path dir : rewards) {
      try (NDManager manager = NDManager.newBaseManager(device)) {
        RewardModel model = RewardModels.load(dir, manager);
        int[][] prefixes = prefixes(texts, model.tokenizer(), n);
        float[][] matrix;
        try (ProgressBar bar =
            TerminalProgress.quietOffTerminal(
                    new ProgressBarBuilder()
                        .setTaskName("rank " + dir.getFileName())
                        .setInitialMax(n)
                        .setStyle(ProgressBarStyle.ASCII))
                .build()) {
          matrix = new float[n][];
          for (int i = 0; i < n; i++) {
            matrix[i] = RewardMatrix.compute(model, new int[][] {prefixes[i]}, manager)[0];
            bar.step();
          }
        }
        double[][] gram = NumericalRank.gram(matrix);
        List<XyPlot.Point> points = new ArrayList<>();
        double[] largest = null;
        for (int count : counts) {
          double[] sv = NumericalRank.singularValues(gram, count);
          int rank = NumericalRank.rank(sv, cutoff);
          points.add(new XyPlot.Point(count, rank, String.valueOf(rank)));
          JsonObject o = new JsonObject();
          o.addProperty("model", model.id());
          o.addProperty("kind", model.info().kind().name());
          o.addProperty("n", count);
          o.addProperty("vocab", matrix[0].length);
          o.addProperty("d_model", model.backbone().config().hiddenSize());
          o.addProperty("relative_cutoff", cutoff);
          o.addProperty("rank", rank);
          JsonArray top = new JsonArray();
          for (int i = 0; i < Math.min(5, sv.length); i++) {
            top.add(Math.round(sv[i] * 1e4) / 1e4);
          }
          o.add("top_singular_values", top);
          System.out.println(o);
          largest = sv;
        }
        rankPlot.add(
            new XyPlot.Series(model.info().kind() + " " + dir.getFileName(), points, false));
        List<XyPlot.Point> sp = new ArrayList<>();
        for (int i = 0; i < largest.length; i++) {
          sp.add(new XyPlot.Point(i + 1, largest[i] / largest[0], ""));
        }
        spectrum.add(new XyPlot.Series(model.info().kind() + " " + dir.getFileName(), sp, false));
      }
    }
    rankPlot.write(plot);
    spectrum.write(spectrumPlot);
    System.err.println(
        "analyze rank: wrote "
            + plot
            + " and "
            + spectrumPlot
            + " (cutoff "
            + cutoff
            + " x sigma_max)");
    return 0;
  }

  /** n prefixes: a random cut (2..24 tokens) of random held-out texts, fixed by seed. */
  private int[][] prefixes(List<String> texts, TextTokenizer tokenizer, int n) {
    Random random = new Random(seed);
    int[][] out = new int[n][];
    for (int i = 0; i < n; i++) {
      int[] ids = new int[0];
      while (ids.length < 2) {
        ids = tokenizer.encode(texts.get(random.nextInt(texts.size())));
      }
      int len = 1 + random.nextInt(Math.min(24, ids.length));
      out[i] = java.util.Arrays.copyOf(ids, len);
    }
    return out;
  }
}
