package io.armguard.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.armguard.data.PreparedData;
import io.armguard.data.ReplyItem;
import io.armguard.data.ReplyLabels;
import io.armguard.data.ReplyMetrics;
import io.armguard.data.ReplySet;
import io.armguard.data.ReplySplit;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * <p>Data: the training batches minus the judge's share ({@link ReplySplit}: a stable hash split of
 * each batch, so the independent judge trains on replies this model never sees); the validation
 * batches calibrate the output (Platt scaling per label: {@code armguard.json} {@code output}); the
 * held-out batches and the gold set are only scored, after training. Resumable like every trainer:
 * same command, same weights.
 */
public final class ReplyRewardTrainer {
  private final ReplyRewardOptions o;
  private final Consumer<String> log;

  public ReplyRewardTrainer(ReplyRewardOptions options, Consumer<String> log) {
    this.o = options;
    this.log = log;
  }

  /**
   * Refuses a run that would train on an evaluation batch ({@link ReplySet#EVALUATION_BATCHES})
   * present in the set: each must be a validation or a held-out batch.
   */
  static void requireEvaluationBatchesKeptOut(
      Set<String> present, List<String> valid, List<String> heldOut) {
    for (String b : ReplySet.EVALUATION_BATCHES) {
      if (present.contains(b) && !valid.contains(b) && !heldOut.contains(b)) {
        throw new IllegalArgumentException(
            "batch '"
                + b
                + "' is an evaluation batch and would be trained on: name it in --valid-batches or"
                + " --held-out-batches (default "
                + ReplySet.HELD_OUT
                + ")");
      }
    }
  }

  /** Trains, calibrates, writes the model directory with its card and returns the card's facts. */
  public JsonObject train(NDManager root) throws IOException {
    String task = "train replies " + o.kind.name().toLowerCase(Locale.ROOT);
    ResumableTraining training = new ResumableTraining(task, o.run, o.identity(), log);
    ReplySet all = ReplySet.load(o.replies);
    for (String b : o.split.evaluationBatches()) {
      if (!all.batches().contains(b)) {
        throw new IllegalArgumentException("no batch '" + b + "' in " + o.replies);
      }
    }
    requireEvaluationBatchesKeptOut(
        all.batches(), o.split.validBatches(), o.split.heldOutBatches());
    ReplySet trainSet =
        o.trainOnJudgeShare ? o.split.judgeTraining(all) : o.split.rewardTraining(all);
    ReplySet validSet = o.split.valid(all);
    Optional<Path> resumed = training.resume();
    RewardModel model =
        resumed.isPresent() ? RewardModels.load(resumed.get(), root) : newModel(root);
    // --frozen-layers N freezes the embeddings with the lowest N blocks
    new Freezing(o.frozenLayers > 0, o.frozenLayers).apply(model.backbone());
    TextTokenizer tokenizer = model.tokenizer();
    int pad = tokenizer.padId() >= 0 ? tokenizer.padId() : Math.max(0, tokenizer.eosId());
    ReplyBatches train = new ReplyBatches(trainSet, tokenizer, o.maxTokens, pad, o.run.seed());
    log.accept(
        "training replies "
            + train.size()
            + " ("
            + train.tokens()
            + " tokens) from batches "
            + trainSet.batches());
    CandidateDistillation distillation =
        o.distillation == null ? null : CandidateDistillation.load(o.distillation, model, root);
    DistillationCheck check = null;
    if (distillation != null) {
      List<ReplyItem> checked =
          validSet
              .items()
              .subList(0, Math.min(CandidateDistillation.CHECK_REPLIES, validSet.items().size()));
      check =
          new DistillationCheck(
              distillation,
              (ArmRewardModel) model,
              CandidateAgreement.replyTokens(checked, tokenizer, o.maxTokens),
              o.run,
              root,
              log);
      log.accept("distilling candidates: " + distillation.facts());
    }
    DistillationCheck distillationCheck = check;
    DistillationCorpus corpus =
        distillation == null || distillation.settings().corpus().isEmpty()
            ? null
            : DistillationCorpus.load(
                distillation.settings().corpus(),
                tokenizer,
                Math.min(o.maxTokens, CORPUS_MAX_TOKENS),
                pad);
    if (corpus != null) {
      log.accept(
          "distilling corpus prefixes too: "
              + corpus.paths()
              + " ("
              + corpus.sizes()
              + " texts), "
              + distillation.settings().batch()
              + " texts a step");
    }
    ResumableTraining.Outcome outcome =
        training.run(
            model.trainableParameters(),
            root,
            (step, m) -> {
              NDList batch = train.batch(train.batchIndices(step, o.run.batch()), m);
              // the LM's candidates and the teacher's scores are constant targets
              CandidateDistillation.Targets targets = null;
              if (distillation != null) {
                long start = System.nanoTime();
                targets = distillation.targets(batch.get(0), batch.get(1), o.run.seed(), step, m);
                distillationCheck.recordTargetTime(System.nanoTime() - start);
              }
              CorpusStep corpusStep = null;
              if (corpus != null) {
                long start = System.nanoTime();
                NDList texts = corpus.batch(o.run.seed(), step, distillation.settings().batch(), m);
                corpusStep =
                    new CorpusStep(
                        texts,
                        distillation.targets(
                            texts.get(0), texts.get(1), o.run.seed() ^ CORPUS_SALT, step, m));
                distillationCheck.recordTargetTime(System.nanoTime() - start);
              }
              CandidateDistillation.Targets stepTargets = targets;
              CorpusStep stepCorpus = corpusStep;
              return ResumableTraining.PreparedStep.ofMaskedBatch(
                  batch,
                  () ->
                      loss(
                          model,
                          batch,
                          step,
                          m,
                          distillation,
                          stepTargets,
                          stepCorpus,
                          distillationCheck));
            },
            dir -> model.save(dir, SafetensorsDType.F32),
            distillationCheck == null ? ResumableTraining.StepListener.NONE : distillationCheck);
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
    model.save(o.run.out(), SafetensorsDType.F16);
    model.info().withOutput(ScoreOutput.sigmoid(scale, bias)).write(o.run.out());
    training.finish();
    RewardModel saved = RewardModels.load(o.run.out(), root);
    JsonObject facts = new JsonObject();
    facts.addProperty(
        "model", o.kind.name() + " reward model (" + String.join(", ", ReplyLabels.LABELS) + ")");
    facts.add("settings", o.identity());
    facts.addProperty("trainable_parameters", outcome.trainableParameters());
    facts.addProperty(
        "data",
        o.replies
            + " batches "
            + trainSet.batches()
            + (o.trainOnJudgeShare
                ? ": the judge's share only, disjoint from the reward models' training ("
                : " minus the judge's share (")
            + train.size()
            + " replies)");
    training.addRunFacts(facts, outcome);
    JsonObject valid = metrics(saved, validSet.items(), root);
    if (distillation != null) {
      distillation
          .agreement(
              (ArmRewardModel) saved,
              CandidateAgreement.replyTokens(validSet.items(), tokenizer, o.maxTokens),
              o.run.seed(),
              root)
          .toJson()
          .entrySet()
          .forEach(e -> valid.add(e.getKey(), e.getValue()));
      facts.add("candidate_distillation", distillation.facts());
    }
    facts.add("valid", valid);
    ReplySet heldOut = o.split.heldOut(all);
    if (heldOut.size() > 0) {
      facts.add("held_out", metrics(saved, heldOut.items(), root));
    }
    if (!o.trainOnJudgeShare) {
      facts.add(
          "judge_share_in_distribution", metrics(saved, o.split.judgeShareOf(all).items(), root));
    }
    if (Files.exists(o.data.resolve(PreparedData.GOLD))) {
      facts.add("gold", metrics(saved, goldItems(), root));
    }
    training.addTimingsAndHistory(facts, outcome);
    ModelCard.write(
        o.run.out(),
        o.trainOnJudgeShare
            ? "armguard independent toxicity judge (" + o.kind.name() + " classifier, reply set)"
            : "armguard " + o.kind.name() + " moderation reward model (reply set)",
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
    return ReplySet.fromLabelled(
            PreparedData.readLabelled(o.data.resolve(PreparedData.GOLD)), "gold")
        .items();
  }

  /**
   * The step's loss; {@code distillation}, {@code targets} and {@code check} are null unless
   * candidate distillation is on (then its weighted MSE is added to ARM's loss).
   */
  private NDArray loss(
      RewardModel model,
      NDList batch,
      long step,
      NDManager m,
      CandidateDistillation distillation,
      CandidateDistillation.Targets targets,
      CorpusStep corpus,
      DistillationCheck check) {
    NDArray ids = batch.get(0);
    NDArray mask = batch.get(1);
    NDArray prefixTargets = batch.get(2);
    NDArray weights = batch.get(3);
    if (model instanceof RadRewardModel rad) {
      return TrainingLosses.prefixBce(rad.prefixScores(ids, mask, true), prefixTargets, weights);
    }
    ArmTrainingPass pass = ArmTrainingPass.of((ArmRewardModel) model, ids, mask);
    NDArray fit = TrainingLosses.prefixBce(pass.scores(), prefixTargets, weights);
    NDArray loss = pass.regularised(fit, o.regulariserWeight, o.run.seed(), step, m);
    if (targets == null) {
      return loss;
    }
    ArmRewardModel arm = pass.arm();
    NDArray mse = distillation.loss(arm, pass.hidden(), targets);
    check.recordLoss(mse.getFloat()); // the replies' MSE: comparable with runs without a corpus
    if (corpus != null) {
      NDArray texts = arm.shiftedHidden(corpus.texts().get(0), corpus.texts().get(1), true);
      mse = mse.add(distillation.loss(arm, texts, corpus.targets()));
    }
    return loss.add(mse.mul(distillation.settings().weight()));
  }

  /**
   * Corpus texts are cut to this many tokens: eval detox and GENERATE steer short prompts plus a
   * few dozen new tokens, so longer prefixes would spend the distillation where nothing steers.
   */
  static final int CORPUS_MAX_TOKENS = 48;

  /** Salts the corpus' prefix draws so they do not repeat the replies' draws of the same step. */
  private static final long CORPUS_SALT = 0x5eedc0deL;

  /** A step's corpus texts {ids, mask} and their distillation targets. */
  private record CorpusStep(NDList texts, CandidateDistillation.Targets targets) {}

  private RewardModel newModel(NDManager root) throws IOException {
    Engine.getInstance().setRandomSeed((int) o.run.seed());
    RewardModelInfo info =
        new RewardModelInfo(
            o.kind,
            ReplyLabels.LABELS,
            ReplyLabels.TOXICITY,
            "AWAY_FROM_LABEL",
            "first " + o.layers + " layers of " + ModelDirectory.id(o.initFrom),
            ScoreOutput.sigmoid(ReplyLabels.LABELS.size()));
    return PretrainedBackbone.copyFrom(
        o.initFrom,
        root,
        (base, tokenizer) -> RewardModels.fromLanguageModel(base, o.layers, info, tokenizer, root));
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
    if (o.distillation != null) {
      what +=
          " Candidate distillation from the RAD teacher "
              + o.distillation.teacher()
              + " (weight "
              + o.distillation.weight()
              + (o.distillation.rankWeight() > 0
                  ? ", centred ranking term weight " + o.distillation.rankWeight()
                  : "")
              + "): at "
              + o.distillation.positions()
              + " sampled prefixes of "
              + o.distillation.batch()
              + " replies per step, the student's baseline + delta of every label for the top "
              + o.distillation.k()
              + " next tokens of the LM "
              + o.distillation.lm()
              + " (after BOS + prefix), as sigmoid probabilities, regressed (MSE) onto the teacher's calibrated score of"
              + " prefix + candidate; 'valid' reports the mean Spearman correlation of student and"
              + " teacher over those candidate sets (steering label).";
    }
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
        + " are measured after training only and chose nothing."
        + (o.trainOnJudgeShare
            ? " Trained on the judge's share only (disjoint by id and text from what the reward"
                + " models train on): an independent judge for eval detox / eval moderation"
                + " (load it with --judge DIR; measure it with eval judge), never used to steer."
            : "");
  }
}
