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
import io.armguard.model.GptBackbone;
import io.armguard.model.GptConfig;
import io.armguard.model.ModelDirectory;
import io.armguard.model.SafetensorsDType;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.ArmRewardModel;
import io.armguard.reward.RadRewardModel;
import io.armguard.reward.RewardKind;
import io.armguard.reward.RewardModel;
import io.armguard.reward.RewardModelInfo;
import io.armguard.reward.RewardModels;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * {@code train rad} and {@code train arm}: trains a reward model on {@link
 * PreparedData#TOX_REWARD_TRAIN} with AdamW, warm-up + cosine decay and gradient clipping,
 * resumable from checkpoints, and writes an HF-layout reward model directory (F16) with {@code
 * armguard.json} and a card holding validation and gold-set AUC (the gold set is scored after
 * training, never trained on or used to choose anything).
 *
 * <ul>
 *   <li>RAD: position-weighted cumulative MSE of rho(x_1..x_t) against the text's label.
 *   <li>ARM responses: the same loss on r(x_&lt;t, x_t) plus the baseline-prior regulariser on one
 *       uniformly drawn token per position; E frozen.
 *   <li>ARM distill: plain MSE of r(x_&lt;t, x_t) against a frozen RAD teacher's rho(x_1..x_t),
 *       plus the regulariser.
 * </ul>
 */
public final class RewardTrainer {
  private final RewardTrainingOptions o;
  private final Consumer<String> log;
  private long interruptAfter = Long.MAX_VALUE;

  public RewardTrainer(RewardTrainingOptions options, Consumer<String> log) {
    this.o = options;
    this.log = log;
  }

  /** Test hook: stop (as if killed) right after this step's checkpoint decision. */
  void interruptAfter(long step) {
    this.interruptAfter = step;
  }

  public JsonObject train(NDManager root) throws IOException {
    long started = System.nanoTime();
    Checkpoint checkpoint = new Checkpoint(o.out());
    if (o.restart()) {
      checkpoint.delete();
    }
    RewardModelInfo info =
        RewardModelInfo.detox(
            o.kind(),
            List.of("toxicity"),
            o.initFrom() == null
                ? "random init"
                : "first " + o.layers() + " blocks of " + o.initFrom());
    RewardModel model;
    long startStep = 0;
    JsonObject history = new JsonObject();
    if (checkpoint.exists()) {
      JsonObject state = checkpoint.state();
      if (!state.get("options").toString().equals(o.identity().toString())) {
        throw new IllegalStateException(
            "checkpoint in "
                + o.out()
                + " was made with other settings "
                + state.get("options")
                + "; use --restart to discard it");
      }
      model = RewardModels.load(checkpoint.modelDir(), root);
      startStep = state.get("step").getAsLong();
      history = state.getAsJsonObject("history");
      log.accept("resuming from step " + startStep);
    } else {
      model = newModel(info, root);
    }
    TextTokenizer tokenizer = model.tokenizer();
    LabelledBatches train =
        new LabelledBatches(
            PreparedData.readLabelled(o.data().resolve(PreparedData.TOX_REWARD_TRAIN)),
            tokenizer,
            o.maxTokens(),
            o.seed());
    log.accept("training texts " + train.size() + " (" + train.tokens() + " tokens)");
    RadRewardModel teacher = null;
    if (o.regime() == RewardTrainingOptions.Regime.DISTILL) {
      RewardModel t = RewardModels.load(o.teacher(), root);
      if (!(t instanceof RadRewardModel rad)) {
        throw new IllegalArgumentException(
            o.teacher() + " is not a RAD model (armguard.json kind)");
      }
      RewardModels.requireCompatible(rad, rad.id(), model.backbone().config(), tokenizer);
      teacher = rad;
      teacher.trainableParameters().values().forEach(p -> p.freeze(true));
    }
    List<String> frozen = o.freezing().apply(model.backbone());
    if (!frozen.isEmpty()) {
      log.accept("frozen: " + frozen.size() + " backbone tensors (" + o.freezing() + ")");
    }
    Map<String, Parameter> trainable = Freezing.trainable(model.trainableParameters());
    AdamW optimizer = new AdamW(trainable, root, 0.9f, 0.95f, 1e-8f, o.weightDecay());
    if (startStep > 0) {
      optimizer.load(checkpoint.optimizerFile());
    }
    LearningRateSchedule schedule =
        new LearningRateSchedule(o.learningRate(), o.warmupSteps(), o.steps(), 0.1f);
    String task =
        "train "
            + o.kind().name().toLowerCase(java.util.Locale.ROOT)
            + (o.regime() == null
                ? ""
                : " " + o.regime().name().toLowerCase(java.util.Locale.ROOT));
    double lastLoss = Double.NaN;
    double trainSeconds =
        history.has("train_seconds") ? history.get("train_seconds").getAsDouble() : 0;
    try (TrainingProgress progress = new TrainingProgress(task, o.steps(), startStep)) {
      for (long step = startStep + 1; step <= o.steps(); step++) {
        float lr = schedule.at(step);
        long tokens;
        try (NDManager m = root.newSubManager()) {
          NDList batch = train.batch(train.batchIndices(step, o.batch()), m);
          NDArray teacherScores =
              teacher == null
                  ? null
                  : teacher.scores(
                      batch.get(0), batch.get(1), false); // constant: outside the collector
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = loss(model, batch, teacherScores, step, m);
            collector.backward(loss);
            lastLoss = loss.getFloat();
          }
          tokens = LabelledBatches.realTokens(batch.get(1));
          OptimizerStep.apply(trainable.values(), optimizer, lr, o.clipNorm());
        }
        progress.step(lastLoss, lr, tokens);
        if ((o.checkpointEvery() > 0 && step % o.checkpointEvery() == 0) || step == o.steps()) {
          history.addProperty("train_seconds", trainSeconds + progress.elapsedSeconds());
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
    model.save(o.out(), SafetensorsDType.F16);
    checkpoint.delete(); // finished: nothing left to resume, keep the model directory small
    JsonObject facts = new JsonObject();
    facts.addProperty("model", o.kind().name() + " reward model (toxicity)");
    facts.add("settings", o.identity());
    facts.addProperty(
        "parameters",
        trainable.values().stream().mapToLong(p -> p.getArray().size()).sum()
            + (o.kind() == RewardKind.ARM ? model.backbone().tokenEmbedding().size() : 0));
    facts.addProperty(
        "data", o.data().resolve(PreparedData.TOX_REWARD_TRAIN) + " (" + train.size() + " texts)");
    facts.addProperty("command", o.command());
    facts.addProperty("steps", o.steps());
    facts.addProperty("final_train_loss", LmTrainer.round(lastLoss));
    facts.add(
        "valid", RewardScoring.metrics(model, labelled(PreparedData.TOX_VALID, tokenizer), root));
    facts.add("gold", RewardScoring.metrics(model, labelled(PreparedData.GOLD, tokenizer), root));
    facts.addProperty("train_seconds", LmTrainer.round(trainSeconds));
    facts.addProperty(
        "wall_seconds_this_session", LmTrainer.round((System.nanoTime() - started) / 1e9));
    facts.add("history", history);
    ModelCard.write(
        o.out(),
        "armguard "
            + o.kind().name()
            + " toxicity reward model"
            + (o.regime() == null
                ? ""
                : " (" + o.regime().name().toLowerCase(java.util.Locale.ROOT) + ")"),
        description(),
        facts);
    return facts;
  }

  private NDArray loss(
      RewardModel model, NDList batch, NDArray teacherScores, long step, NDManager m) {
    NDArray ids = batch.get(0);
    NDArray mask = batch.get(1);
    NDArray labels = batch.get(2);
    if (model instanceof RadRewardModel rad) {
      return TrainingLosses.cumulativeWeightedMse(rad.scores(ids, mask, true), labels, mask);
    }
    ArmRewardModel arm = (ArmRewardModel) model;
    NDArray h = arm.shiftedHidden(ids, mask, true);
    NDArray e = arm.embedding();
    NDArray predictions = arm.head().scores(h, ids, e);
    NDArray fit =
        o.regime() == RewardTrainingOptions.Regime.DISTILL
            ? TrainingLosses.distillationMse(predictions, teacherScores, mask)
            : TrainingLosses.cumulativeWeightedMse(predictions, labels, mask);
    if (o.regulariserWeight() == 0) {
      return fit;
    }
    // one token drawn uniformly from V per position, from a (seed, step) generator: resumable
    Random random = new Random(o.seed() * 31L + step);
    Shape shape = ids.getShape();
    long[] v = new long[(int) shape.size()];
    int vocab = (int) e.getShape().get(0);
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextInt(vocab);
    }
    NDArray randomTokens = m.create(v, shape);
    NDArray deltas = arm.head().delta(h, randomTokens, e);
    return fit.add(TrainingLosses.deltaRegulariser(deltas, mask).mul(o.regulariserWeight()));
  }

  private RewardModel newModel(RewardModelInfo info, NDManager root) throws IOException {
    Engine.getInstance().setRandomSeed((int) o.seed()); // the new head's (and backbone's) init
    if (o.initFrom() != null) {
      // the papers start the reward model from a pretrained LM: its embeddings, first blocks, ln_f
      try (NDManager scratch = root.newSubManager()) {
        ModelDirectory.Loaded lm = ModelDirectory.load(o.initFrom(), scratch);
        TextTokenizer tokenizer =
            TextTokenizer.load(o.initFrom().resolve(ModelDirectory.TOKENIZER));
        RewardModel model =
            RewardModels.fromLanguageModel(lm.backbone(), o.layers(), info, tokenizer, root);
        if (lm.tokenizer() != null) {
          lm.tokenizer().close();
        }
        return model;
      }
    }
    TextTokenizer tokenizer = TextTokenizer.gpt2(o.merges());
    GptBackbone backbone =
        GptBackbone.randomlyInitialized(
            GptConfig.of(tokenizer.vocabSize(), o.context(), o.dModel(), o.layers(), o.heads()),
            root,
            (int) o.seed());
    return switch (o.kind()) {
      case RAD -> RadRewardModel.withNewHead(backbone, info, tokenizer, root);
      case ARM -> ArmRewardModel.withNewHead(backbone, info, tokenizer, root);
    };
  }

  private LabelledBatches labelled(String file, TextTokenizer tokenizer) throws IOException {
    List<LabelledText> items = PreparedData.readLabelled(o.data().resolve(file));
    return new LabelledBatches(items, tokenizer, o.maxTokens(), o.seed());
  }

  private String description() {
    String what =
        switch (o.kind()) {
          case RAD ->
              "RAD reward model (ALGORITHM.md section 2): linear head with bias on every position,"
                  + " trained with the position-weighted cumulative MSE.";
          case ARM ->
              "ARM low-rank autoregressive reward model (ALGORITHM.md section 3): baseline + token"
                  + " delta over the frozen token embedding, "
                  + (o.regime() == RewardTrainingOptions.Regime.DISTILL
                      ? "distilled from the RAD teacher " + o.teacher()
                      : "trained on responses (observed tokens) with the cumulative weighted MSE")
                  + ", plus the baseline-prior regulariser (weight "
                  + o.regulariserWeight()
                  + ").";
        };
    return what
        + " Data: the weakly labelled reward split of docs/data.md (disjoint from the"
        + " evaluator's). Scores are raw (decoding clamps them to [0, 1]); label `toxicity`, steering"
        + " away from it. Gold-set metrics (hubot-insulter) are measured after training only.";
  }
}
