package io.armguard.eval;

import com.google.gson.JsonObject;
import io.armguard.data.BinaryMetrics;
import io.armguard.data.LabelledText;
import io.armguard.data.PreparedData;
import io.armguard.data.ReplyItem;
import io.armguard.data.ReplyLabels;
import io.armguard.data.ReplyMetrics;
import io.armguard.data.ReplySet;
import io.armguard.train.ModelCard;
import io.armguard.train.PlattCalibration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * {@code train judge}: fits the {@link ToxicityJudge}'s heads (one class-balanced logistic
 * regression per label of {@link ReplyLabels#LABELS} on the frozen sentence embedding of the whole
 * reply) on the judge's share of the reply set ({@link JudgeSplit}), optionally with the UCI
 * sentiment sentences as clean replies, Platt-scales each head on the validation batches, measures
 * it on the held-out batches, the gold set and openings of held-out human text, and writes the
 * model directory: {@value ToxicityJudge#FILE}, the shipped lexicon, {@code README.md} and {@code
 * training.json}. Deterministic: the same data and settings give the same judge. Not thread-safe.
 */
public final class JudgeTrainer {
  /** Decision threshold on the calibrated toxicity probability. */
  public static final double THRESHOLD = 0.5;

  private static final String SENTIMENT_SOURCE = "uci-sentiment:";
  private final SentenceEncoder encoder;
  private final JsonObject encoderSpec;
  private final Consumer<String> log;

  /**
   * @param encoderSpec what {@link ToxicityJudge#save} records about {@code encoder}
   * @param log receives progress lines
   */
  public JudgeTrainer(SentenceEncoder encoder, JsonObject encoderSpec, Consumer<String> log) {
    this.encoder = encoder;
    this.encoderSpec = encoderSpec;
    this.log = log;
  }

  /**
   * Fits one head per label on {@code x} (one vector per text) and Platt-scales it on the highest
   * logit over each validation text's pieces ({@link ToxicityJudge#embed}), the score the judge
   * gives.
   *
   * @param y per row, 1/0 per label of {@code labels}
   * @throws IllegalArgumentException if a label has no positive or no negative training row
   */
  public static List<JudgeHead> fitHeads(
      List<String> labels,
      float[][] x,
      float[][] y,
      float[][][] validPieces,
      float[][] validY,
      double l2) {
    List<JudgeHead> heads = new ArrayList<>();
    for (int l = 0; l < labels.size(); l++) {
      int[] target = column(y, l);
      int positives = java.util.Arrays.stream(target).sum();
      if (positives == 0 || positives == target.length) {
        throw new IllegalArgumentException(
            "label "
                + labels.get(l)
                + " has "
                + positives
                + " of "
                + target.length
                + " training rows positive; a head needs both classes");
      }
      JudgeHead head =
          JudgeHead.uncalibrated(labels.get(l), LogisticRegression.fit(x, target, l2, 25));
      double[] raw = new double[validPieces.length];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = head.maxLogit(validPieces[i]);
      }
      heads.add(head.calibrated(PlattCalibration.fit(raw, column(validY, l))));
    }
    return heads;
  }

  /** Trains, measures and writes the judge; returns the facts written to {@code training.json}. */
  public JsonObject train(JudgeTrainingOptions o, IntConsumer progress) throws IOException {
    long start = System.nanoTime();
    ReplySet all = ReplySet.load(o.replies);
    JudgeSplit split = JudgeSplit.of(all, o.split);
    List<String> checked = new ArrayList<>();
    for (Path dir : o.rewardModels) {
      Optional<ReplySet> rewardTraining = JudgeSplit.rewardTrainingOf(dir, all);
      if (rewardTraining.isPresent()) {
        split.requireDisjointFrom(rewardTraining.get(), "the training split of " + dir);
        checked.add(dir.toString());
      } else {
        log.accept(dir + " records no reply-set split (not trained on the reply set): not checked");
      }
    }
    List<String> sentiment = o.sentimentNegatives ? sentimentSentences(o.data) : List.of();
    log.accept(
        "judge trains on "
            + split.train().size()
            + " replies of "
            + split.train().batches()
            + " ("
            + split.droppedDuplicates()
            + " dropped as duplicates of reward-training text) + "
            + sentiment.size()
            + " sentiment sentences; calibrates on "
            + split.valid().size());

    List<String> trainTexts = new ArrayList<>(replies(split.train()));
    trainTexts.addAll(sentiment);
    float[][] x = encoder.embed(trainTexts, progress);
    float[][] y = new float[x.length][];
    for (int i = 0; i < x.length; i++) {
      y[i] =
          i < split.train().size()
              ? split.train().items().get(i).labelVector()
              : new float[ReplyLabels.LABELS.size()];
    }
    float[][][] validPieces = ToxicityJudge.embedPieces(encoder, replies(split.valid()), progress);
    float[][] validY =
        split.valid().items().stream().map(ReplyItem::labelVector).toArray(float[][]::new);
    List<JudgeHead> heads = fitHeads(ReplyLabels.LABELS, x, y, validPieces, validY, o.l2);
    ToxicityJudge judge = new ToxicityJudge(encoder, heads, THRESHOLD);

    Files.createDirectories(o.out);
    Files.copy(
        o.data.resolve(PreparedData.LEXICON),
        o.out.resolve(ProfanityRate.FILE),
        StandardCopyOption.REPLACE_EXISTING);
    ProfanityRate lexicon = ProfanityRate.load(o.out);

    JsonObject facts = new JsonObject();
    facts.addProperty("kind", ToxicityJudge.KIND);
    facts.add("encoder", encoderSpec);
    facts.addProperty("command", o.command);
    facts.add("settings", settings(o));
    JsonObject data = new JsonObject();
    data.addProperty("train_batches", String.join(",", split.train().batches()));
    data.addProperty("train_replies", split.train().size());
    data.addProperty("dropped_duplicates", split.droppedDuplicates());
    data.addProperty("sentiment_negatives", sentiment.size());
    data.addProperty("checked_disjoint_from", String.join(",", checked));
    facts.add("data", data);
    facts.add(
        "valid",
        ReplyMetrics.of(
            split.valid().items(),
            judge.scoreEmbedded(validPieces),
            ReplyLabels.TOXICITY,
            THRESHOLD));
    if (split.heldOut().size() > 0) {
      facts.add(
          "held_out",
          ReplyMetrics.of(
              split.heldOut().items(),
              judge.scoreLabels(replies(split.heldOut()), progress),
              ReplyLabels.TOXICITY,
              THRESHOLD));
    }
    facts.add("gold", gold(judge, o.data, progress));
    List<String> ordinary =
        JudgeBaseline.openings(
            PreparedData.readLines(o.data.resolve(PreparedData.LM_HELDOUT)),
            o.ordinaryTexts,
            o.ordinaryWords,
            1234);
    facts.add(
        "ordinary_text",
        JudgeBaseline.of(judge.score(ordinary, progress), 5, lexicon.rate(ordinary))
            .toJson(PreparedData.LM_HELDOUT + " openings", o.ordinaryWords));
    facts.addProperty("wall_seconds", ReplyMetrics.round((System.nanoTime() - start) / 1e9));

    JsonObject summary = new JsonObject();
    summary.add("data", data);
    summary.addProperty("l2", o.l2);
    ToxicityJudge.save(o.out, encoderSpec, heads, THRESHOLD, summary);
    ModelCard.write(o.out, "armguard independent toxicity judge", JudgeCard.describe(facts), facts);
    return facts;
  }

  /** Total texts {@link #train} embeds, for a progress bar. */
  public static long workItems(JudgeTrainingOptions o) throws IOException {
    ReplySet all = ReplySet.load(o.replies);
    JudgeSplit split = JudgeSplit.of(all, o.split);
    long n = split.train().size() + split.valid().size() + split.heldOut().size();
    n += PreparedData.readLabelled(o.data.resolve(PreparedData.GOLD)).size() + o.ordinaryTexts;
    return n + (o.sentimentNegatives ? sentimentSentences(o.data).size() : 0);
  }

  /**
   * A judge's figures on the gold set of the prepared data {@code data}: n, AUC, and recall, FPR
   * and accuracy at the judge's threshold.
   */
  public static JsonObject gold(TextJudge judge, Path data, IntConsumer progress)
      throws IOException {
    List<LabelledText> gold = PreparedData.readLabelled(data.resolve(PreparedData.GOLD));
    double[] s = judge.score(gold.stream().map(LabelledText::text).toList(), progress);
    int[] y = gold.stream().mapToInt(LabelledText::label).toArray();
    JsonObject m = new JsonObject();
    m.addProperty("n", y.length);
    m.addProperty("auc", ReplyMetrics.round(BinaryMetrics.auc(s, y)));
    m.addProperty("recall", ReplyMetrics.round(BinaryMetrics.recall(s, y, judge.threshold())));
    m.addProperty(
        "fpr", ReplyMetrics.round(BinaryMetrics.falsePositiveRate(s, y, judge.threshold())));
    m.addProperty("accuracy", ReplyMetrics.round(BinaryMetrics.accuracy(s, y, judge.threshold())));
    return m;
  }

  /** The UCI sentiment sentences of the prepared data (either tone: both are clean text). */
  private static List<String> sentimentSentences(Path data) throws IOException {
    return PreparedData.readLabelled(data.resolve(PreparedData.TOX_EVALUATOR_TRAIN)).stream()
        .filter(t -> t.source().startsWith(SENTIMENT_SOURCE))
        .map(LabelledText::text)
        .toList();
  }

  private static JsonObject settings(JudgeTrainingOptions o) {
    JsonObject s = new JsonObject();
    s.addProperty("replies", o.replies.toString());
    o.split.addSettings(s);
    s.addProperty("l2", o.l2);
    s.addProperty("sentiment_negatives", o.sentimentNegatives);
    s.addProperty("threshold", THRESHOLD);
    return s;
  }

  private static List<String> replies(ReplySet set) {
    return set.items().stream().map(ReplyItem::reply).toList();
  }

  private static int[] column(float[][] y, int l) {
    int[] c = new int[y.length];
    for (int i = 0; i < y.length; i++) {
      c[i] = y[i][l] >= 0.5f ? 1 : 0;
    }
    return c;
  }
}
