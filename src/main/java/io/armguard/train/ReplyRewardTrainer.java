package io.armguard.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import io.armguard.data.LabelledText;
import io.armguard.data.PreparedData;
import io.armguard.data.ReplyItem;
import io.armguard.data.ReplyLabels;
import io.armguard.data.ReplyMetrics;
import io.armguard.data.ReplySet;
import io.armguard.model.ModelDirectory;
import io.armguard.model.SafetensorsDType;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.ArmRewardModel;
import io.armguard.reward.RadRewardModel;
import io.armguard.reward.RewardKind;
import io.armguard.reward.RewardModel;
import io.armguard.reward.RewardModelInfo;
import io.armguard.reward.RewardModels;
import io.armguard.reward.ScoreOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code train replies}: a multi-label reward model (ARM or RAD; one head per label of {@link
 * ReplyLabels#LABELS}, {@code toxicity} steering) on a pretrained backbone (a BERT-family encoder
 * made causal, or a GPT-2 LM), trained on the reply set: every prefix of a reply, alone (no
 * prompt), regressed with a weighted binary cross-entropy onto its per-prefix targets ({@link
 * PrefixTargets}). ARM adds the baseline-prior regulariser on a random token per position and keeps
 * the token embedding frozen.
 *
 * <p>Data: the training batches minus the judge's share (a stable hash split of each batch, so the
 * independent judge trains on replies this model never sees); the validation batches calibrate the
 * output (Platt scaling per label: {@code armguard.json} {@code output}); the held-out batches and
 * the gold set are only scored, after training. Resumable like every trainer: same command, same
 * weights.
 */
public final class ReplyRewardTrainer {
  private final ReplyRewardOptions o;
  private final Consumer<String> log;
  private long interruptAfter = Long.MAX_VALUE;

  public ReplyRewardTrainer(ReplyRewardOptions options, Consumer<String> log) {
    this.o = options;
    this.log = log;
  }

  /** Test hook: stop (as if killed) right after this step's checkpoint decision. */
  void interruptAfter(long step) {
    this.interruptAfter = step;
  }

  /** The replies the reward models train on: training batches minus the judge's share. */
  public static ReplySet rewardTrainingSet(
      ReplySet all, List<String> valid, List<String> heldOut, double judgeShare) {
    Set<String> excluded = new HashSet<>(valid);
    excluded.addAll(heldOut);
    return all.without(excluded).splitByHash(judgeShare, "judge")[0];
  }

  public JsonObject train(NDManager root) throws IOException {
    long started = System.nanoTime();
    ReplySet all = ReplySet.load(o.replies);
    for (String b : concat(o.validBatches, o.heldOutBatches)) {
      if (!all.batches().contains(b)) {
        throw new IllegalArgumentException("no batch '" + b + "' in " + o.replies);
      }
    }
    ReplySet trainSet = rewardTrainingSet(all, o.validBatches, o.heldOutBatches, o.judgeShare);
    ReplySet validSet = all.only(new HashSet<>(o.validBatches));
    Checkpoint checkpoint = new Checkpoint(o.out);
    if (o.restart) {
      checkpoint.delete();
    }
    RewardModel model;
    long startStep = 0;
    JsonObject history = new JsonObject();
    if (checkpoint.exists()) {
      JsonObject state = checkpoint.state();
      if (!state.get("options").toString().equals(o.identity().toString())) {
        throw new IllegalStateException(
            "checkpoint in "
                + o.out
                + " was made with other settings "
                + state.get("options")
                + "; use --restart to discard it");
      }
      model = RewardModels.load(checkpoint.modelDir(), root);
      startStep = state.get("step").getAsLong();
      history = state.getAsJsonObject("history");
      log.accept("resuming from step " + startStep);
    } else {
      model = newModel(root);
    }
    freezeLowerLayers(model);
    TextTokenizer tokenizer = model.tokenizer();
    int pad = tokenizer.padId() >= 0 ? tokenizer.padId() : Math.max(0, tokenizer.eosId());
    ReplyBatches train = new ReplyBatches(trainSet, tokenizer, o.maxTokens, pad, o.seed);
    log.accept(
        "training replies "
            + train.size()
            + " ("
            + train.tokens()
            + " tokens) from batches "
            + trainSet.batches());
    Map<String, Parameter> trainable = new LinkedHashMap<>();
    model
        .trainableParameters()
        .forEach(
            (k, p) -> {
              if (p.requiresGradient()) {
                trainable.put(k, p);
              }
            });
    AdamW optimizer = new AdamW(trainable, root, 0.9f, 0.95f, 1e-8f, o.weightDecay);
    if (startStep > 0) {
      optimizer.load(checkpoint.optimizerFile());
    }
    LearningRateSchedule schedule =
        new LearningRateSchedule(o.learningRate, o.warmupSteps, o.steps, 0.1f);
    double lastLoss = Double.NaN;
    double trainSeconds =
        history.has("train_seconds") ? history.get("train_seconds").getAsDouble() : 0;
    String task = "train replies " + o.kind.name().toLowerCase(Locale.ROOT);
    try (TrainingProgress progress = new TrainingProgress(task, o.steps, startStep)) {
      for (long step = startStep + 1; step <= o.steps; step++) {
        float lr = schedule.at(step);
        long tokens;
        try (NDManager m = root.newSubManager()) {
          NDList batch = train.batch(train.batchIndices(step, o.batch), m);
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = loss(model, batch, step, m);
            collector.backward(loss);
            lastLoss = loss.getFloat();
          }
          tokens = LabelledBatches.realTokens(batch.get(1));
          OptimizerStep.apply(trainable.values(), optimizer, lr, o.clipNorm);
        }
        progress.step(lastLoss, lr, tokens);
        if ((o.checkpointEvery > 0 && step % o.checkpointEvery == 0) || step == o.steps) {
          history.addProperty("train_seconds", trainSeconds + progress.elapsedSeconds());
          history.addProperty("step_" + step + "_loss", LmTrainer.round(progress.smoothedLoss()));
          JsonObject state = new JsonObject();
          state.addProperty("step", step);
          state.add("options", o.identity());
          state.add("history", history);
          RewardModel toSave = model;
          checkpoint.save(
              state,
              (dir, opt) -> {
                toSave.save(dir, SafetensorsDType.F32);
                optimizer.save(opt);
              });
        }
        if (step == interruptAfter) {
          throw new InterruptedTraining(step);
        }
      }
      trainSeconds += progress.elapsedSeconds();
      history.addProperty(
          "tokens_per_second_last_session", LmTrainer.round(progress.tokensPerSecond()));
    }
    // calibrate on the validation batches: Platt scaling per label of the whole-reply raw score
    double[][] rawValid = ReplyScores.finalRaw(model, validSet.items(), o.maxTokens, root);
    float[] scale = new float[ReplyLabels.LABELS.size()];
    float[] bias = new float[scale.length];
    for (int j = 0; j < scale.length; j++) {
      double[] x = new double[rawValid.length];
      int[] y = new int[rawValid.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = rawValid[i][j];
        y[i] = (int) validSet.items().get(i).labelVector()[j];
      }
      PlattCalibration.Fit fit = PlattCalibration.fit(x, y);
      scale[j] = fit.scale();
      bias[j] = fit.bias();
    }
    model.save(o.out, SafetensorsDType.F16);
    model.info().withOutput(ScoreOutput.sigmoid(scale, bias)).write(o.out);
    checkpoint.delete();
    RewardModel saved = RewardModels.load(o.out, root);
    JsonObject facts = new JsonObject();
    facts.addProperty(
        "model", o.kind.name() + " reward model (" + String.join(", ", ReplyLabels.LABELS) + ")");
    facts.add("settings", o.identity());
    facts.addProperty(
        "trainable_parameters",
        trainable.values().stream().mapToLong(p -> p.getArray().size()).sum());
    facts.addProperty(
        "data",
        o.replies
            + " batches "
            + trainSet.batches()
            + " minus the judge's share ("
            + train.size()
            + " replies)");
    facts.addProperty("command", o.command);
    facts.addProperty("steps", o.steps);
    facts.addProperty("final_train_loss", LmTrainer.round(lastLoss));
    facts.add("valid", metrics(saved, validSet.items(), root));
    ReplySet heldOut = all.only(new HashSet<>(o.heldOutBatches));
    if (heldOut.size() > 0) {
      facts.add("held_out", metrics(saved, heldOut.items(), root));
    }
    ReplySet judgeShare =
        all.without(new HashSet<>(concat(o.validBatches, o.heldOutBatches)))
            .splitByHash(o.judgeShare, "judge")[1];
    facts.add("judge_share_in_distribution", metrics(saved, judgeShare.items(), root));
    if (Files.exists(o.data.resolve(PreparedData.GOLD))) {
      facts.add("gold", metrics(saved, goldItems(), root));
    }
    facts.addProperty("train_seconds", LmTrainer.round(trainSeconds));
    facts.addProperty(
        "wall_seconds_this_session", LmTrainer.round((System.nanoTime() - started) / 1e9));
    facts.add("history", history);
    ModelCard.write(
        o.out,
        "armguard " + o.kind.name() + " moderation reward model (reply set)",
        description(),
        facts);
    return facts;
  }

  private JsonObject metrics(RewardModel model, List<ReplyItem> items, NDManager root) {
    double[][] raw = ReplyScores.finalRaw(model, items, o.maxTokens, root);
    List<Map<String, Float>> scores = new ArrayList<>();
    List<String> labels = model.info().labels();
    for (double[] r : raw) {
      Map<String, Float> m = new LinkedHashMap<>();
      for (int j = 0; j < labels.size(); j++) {
        m.put(labels.get(j), (float) model.info().output().apply(r[j], j));
      }
      scores.add(m);
    }
    JsonObject metrics = ReplyMetrics.of(items, scores, model.info().steeringLabel(), 0.5);
    metrics.remove("flagged_by_kind");
    return metrics;
  }

  private List<ReplyItem> goldItems() throws IOException {
    List<ReplyItem> out = new ArrayList<>();
    List<LabelledText> gold = PreparedData.readLabelled(o.data.resolve(PreparedData.GOLD));
    for (int i = 0; i < gold.size(); i++) {
      String t = gold.get(i).text();
      out.add(
          gold.get(i).label() == 1
              ? ReplyItem.toxic("gold-" + i, "gold", "", t, Set.of("insult"), t, "gold", "gold")
              : ReplyItem.clean("gold-" + i, "gold", "", t, "gold", "gold"));
    }
    return out;
  }

  private NDArray loss(RewardModel model, NDList batch, long step, NDManager m) {
    NDArray ids = batch.get(0);
    NDArray mask = batch.get(1);
    NDArray targets = batch.get(2);
    NDArray weights = batch.get(3);
    if (model instanceof RadRewardModel rad) {
      return TrainingLosses.prefixBce(rad.prefixScores(ids, mask, true), targets, weights);
    }
    ArmRewardModel arm = (ArmRewardModel) model;
    NDArray h = arm.shiftedHidden(ids, mask, true);
    NDArray e = arm.embedding();
    NDArray fit = TrainingLosses.prefixBce(arm.head().scores(h, ids, e), targets, weights);
    if (o.regulariserWeight == 0) {
      return fit;
    }
    Random random = new Random(o.seed * 31L + step); // resumable: depends on (seed, step) only
    Shape shape = ids.getShape();
    long[] v = new long[(int) shape.size()];
    int vocab = (int) e.getShape().get(0);
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextInt(vocab);
    }
    NDArray deltas = arm.head().delta(h, m.create(v, shape), e);
    return fit.add(TrainingLosses.deltaRegulariser(deltas, mask).mul(o.regulariserWeight));
  }

  private RewardModel newModel(NDManager root) throws IOException {
    Engine.getInstance().setRandomSeed((int) o.seed);
    RewardModelInfo info =
        new RewardModelInfo(
            o.kind,
            ReplyLabels.LABELS,
            ReplyLabels.TOXICITY,
            "AWAY_FROM_LABEL",
            "first " + o.layers + " layers of " + ModelDirectory.id(o.initFrom),
            ScoreOutput.sigmoid(ReplyLabels.LABELS.size()));
    try (NDManager scratch = root.newSubManager()) {
      ModelDirectory.Loaded base = ModelDirectory.load(o.initFrom, scratch);
      TextTokenizer tokenizer = TextTokenizer.load(o.initFrom.resolve(ModelDirectory.TOKENIZER));
      RewardModel model =
          RewardModels.fromLanguageModel(base.backbone(), o.layers, info, tokenizer, root);
      if (base.tokenizer() != null) {
        base.tokenizer().close();
      }
      return model;
    }
  }

  /** Freezes the embeddings and the lowest {@code frozenLayers} blocks (none by default). */
  private void freezeLowerLayers(RewardModel model) {
    if (o.frozenLayers == 0) {
      return;
    }
    model
        .backbone()
        .namedParameters()
        .forEach(
            (name, p) -> {
              boolean embedding = name.startsWith("embeddings.") || name.startsWith("wpe.");
              boolean lower = false;
              for (int i = 0; i < o.frozenLayers; i++) {
                lower |=
                    name.startsWith("encoder.layer." + i + ".") || name.startsWith("h." + i + ".");
              }
              if (embedding || lower) {
                p.freeze(true);
              }
            });
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private String description() {
    String what =
        o.kind == RewardKind.ARM
            ? "ARM low-rank autoregressive reward model: baseline + token delta over the frozen"
                + " token embedding, one head per label, the hidden state before each token scoring"
                + " the prefix that ends with it, plus the baseline-prior regulariser (weight "
                + o.regulariserWeight
                + ")."
            : "RAD reward model: linear head with bias on every position, one output per label.";
    return what
        + " Backbone: the first "
        + o.layers
        + " layers of "
        + o.initFrom
        + ", attending causally. Trained on the reply set written for armguard (data/replies,"
        + " its data card says how): every prefix of the reply alone (never the prompt), with"
        + " per-prefix targets from the annotated toxic span and a weighted binary"
        + " cross-entropy; scores are sigmoid outputs calibrated per label on the validation"
        + " batch (armguard.json 'output'). Held-out batch and gold-set (hubot-insulter) metrics"
        + " are measured after training only and chose nothing.";
  }
}
