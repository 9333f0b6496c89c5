package io.armguard.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.armguard.data.LabelledText;
import io.armguard.data.PreparedData;
import io.armguard.model.GptBackbone;
import io.armguard.model.SafetensorsDType;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.ArmRewardModel;
import io.armguard.reward.RadRewardModel;
import io.armguard.reward.RewardKind;
import io.armguard.reward.RewardModel;
import io.armguard.reward.RewardModelInfo;
import io.armguard.reward.RewardModels;
import io.armguard.train.RewardTrainingOptions.Regime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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

  public RewardTrainer(RewardTrainingOptions options, Consumer<String> log) {
    this.o = options;
    this.log = log;
  }

  /** Trains, writes the model directory with its card and returns the card's facts. */
  public JsonObject train(NDManager root) throws IOException {
    ResumableTraining training = new ResumableTraining(task(), o.run, o.identity(), log);
    Optional<Path> resumed = training.resume();
    RewardModel model =
        resumed.isPresent() ? RewardModels.load(resumed.get(), root) : newModel(root);
    TextTokenizer tokenizer = model.tokenizer();
    LabelledBatches train = labelled(PreparedData.TOX_REWARD_TRAIN, tokenizer);
    log.accept("training texts " + train.size() + " (" + train.tokens() + " tokens)");
    RadRewardModel teacher = o.regime == Regime.DISTILL ? teacher(model, root) : null;
    List<String> frozen = o.freezing.apply(model.backbone());
    if (!frozen.isEmpty()) {
      log.accept("frozen: " + frozen.size() + " backbone tensors (" + o.freezing + ")");
    }
    ResumableTraining.Outcome outcome =
        training.run(
            model.trainableParameters(),
            root,
            (step, m) -> {
              NDList batch = train.batch(train.batchIndices(step, o.run.batch()), m);
              // the teacher's scores are a constant target: computed outside the collector
              NDArray teacherScores =
                  teacher == null ? null : teacher.scores(batch.get(0), batch.get(1), false);
              return ResumableTraining.PreparedStep.ofMaskedBatch(
                  batch, () -> loss(model, batch, teacherScores, step, m));
            },
            dir -> model.save(dir, SafetensorsDType.F32),
            ResumableTraining.StepListener.NONE);
    model.save(o.run.out(), SafetensorsDType.F16);
    training.finish(); // nothing left to resume, keep the model directory small
    JsonObject facts = new JsonObject();
    facts.addProperty("model", o.kind.name() + " reward model (toxicity)");
    facts.add("settings", o.identity());
    facts.addProperty(
        "parameters",
        outcome.trainableParameters()
            + (o.kind == RewardKind.ARM ? model.backbone().tokenEmbedding().size() : 0));
    facts.addProperty(
        "data", o.data.resolve(PreparedData.TOX_REWARD_TRAIN) + " (" + train.size() + " texts)");
    training.addRunFacts(facts, outcome);
    facts.add(
        "valid", RewardScoring.metrics(model, labelled(PreparedData.TOX_VALID, tokenizer), root));
    facts.add("gold", RewardScoring.metrics(model, labelled(PreparedData.GOLD, tokenizer), root));
    training.addTimingsAndHistory(facts, outcome);
    ModelCard.write(
        o.run.out(),
        "armguard "
            + o.kind.name()
            + " toxicity reward model"
            + (o.regime == null ? "" : " (" + lower(o.regime) + ")"),
        description(),
        facts);
    return facts;
  }

  private String task() {
    return "train " + lower(o.kind) + (o.regime == null ? "" : " " + lower(o.regime));
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  /** The frozen RAD teacher of the distill regime, checked against the student's backbone. */
  private RadRewardModel teacher(RewardModel student, NDManager root) throws IOException {
    RewardModel t = RewardModels.load(o.teacher, root);
    if (!(t instanceof RadRewardModel rad)) {
      throw new IllegalArgumentException(o.teacher + " is not a RAD model (armguard.json kind)");
    }
    RewardModels.requireCompatible(rad, rad.id(), student.backbone().config(), student.tokenizer());
    rad.trainableParameters().values().forEach(p -> p.freeze(true));
    return rad;
  }

  private NDArray loss(
      RewardModel model, NDList batch, NDArray teacherScores, long step, NDManager m) {
    NDArray ids = batch.get(0);
    NDArray mask = batch.get(1);
    NDArray labels = batch.get(2);
    if (model instanceof RadRewardModel rad) {
      return TrainingLosses.cumulativeWeightedMse(rad.scores(ids, mask, true), labels, mask);
    }
    ArmTrainingPass pass = ArmTrainingPass.of((ArmRewardModel) model, ids, mask);
    NDArray predictions = pass.scores();
    NDArray fit =
        o.regime == Regime.DISTILL
            ? TrainingLosses.distillationMse(predictions, teacherScores, mask)
            : TrainingLosses.cumulativeWeightedMse(predictions, labels, mask);
    return pass.regularised(fit, o.regulariserWeight, o.run.seed(), step, m);
  }

  private RewardModel newModel(NDManager root) throws IOException {
    RewardModelInfo info =
        RewardModelInfo.detox(
            o.kind,
            List.of("toxicity"),
            o.initFrom == null
                ? "random init"
                : "first " + o.shape.layers() + " blocks of " + o.initFrom);
    Engine.getInstance().setRandomSeed((int) o.run.seed()); // the new head's (and backbone's) init
    if (o.initFrom != null) {
      // the papers start the reward model from a pretrained LM: its embeddings, first blocks, ln_f
      return PretrainedBackbone.copyFrom(
          o.initFrom,
          root,
          (lm, tokenizer) ->
              RewardModels.fromLanguageModel(lm, o.shape.layers(), info, tokenizer, root));
    }
    TextTokenizer tokenizer = o.shape.tokenizer();
    GptBackbone backbone = o.shape.randomBackbone(tokenizer, root, o.run.seed());
    return switch (o.kind) {
      case RAD -> RadRewardModel.withNewHead(backbone, info, tokenizer, root);
      case ARM -> ArmRewardModel.withNewHead(backbone, info, tokenizer, root);
    };
  }

  private LabelledBatches labelled(String file, TextTokenizer tokenizer) throws IOException {
    List<LabelledText> items = PreparedData.readLabelled(o.data.resolve(file));
    return new LabelledBatches(items, tokenizer, o.maxTokens, o.run.seed());
  }

  private String description() {
    String what =
        switch (o.kind) {
          case RAD ->
              "RAD reward model (docs/algorithm.md section 2): linear head with bias on every position,"
                  + " trained with the position-weighted cumulative MSE.";
          case ARM ->
              "ARM low-rank autoregressive reward model (docs/algorithm.md section 3): baseline + token"
                  + " delta over the frozen token embedding, "
                  + (o.regime == Regime.DISTILL
                      ? "distilled from the RAD teacher " + o.teacher
                      : "trained on responses (observed tokens) with the cumulative weighted MSE")
                  + ", plus the baseline-prior regulariser (weight "
                  + o.regulariserWeight
                  + ").";
        };
    return what
        + " Data: the weakly labelled reward split of docs/data.md (disjoint from the"
        + " evaluator's). Scores are raw (decoding clamps them to [0, 1]); label `toxicity`, steering"
        + " away from it. Gold-set metrics (hubot-insulter) are measured after training only.";
  }
}
