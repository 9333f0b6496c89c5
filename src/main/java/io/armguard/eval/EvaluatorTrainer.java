package io.armguard.eval;

import com.google.gson.JsonObject;
import io.armguard.data.BinaryMetrics;
import io.armguard.data.LabelledText;
import io.armguard.data.PreparedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Trains the independent evaluator on {@link PreparedData#TOX_EVALUATOR_TRAIN} (disjoint from the
 * reward models' split, with its own half of the augmentation templates), measures it on the
 * validation split and the gold set (scored, never trained on), and writes the model directory:
 * {@code evaluator.json}, the shipped lexicon and a {@code README.md} card.
 */
public final class EvaluatorTrainer {
  private final SentenceEncoder encoder;

  public EvaluatorTrainer(SentenceEncoder encoder) {
    this.encoder = encoder;
  }

  /** Total number of texts {@link #train} embeds (for a progress bar). */
  public static long workItems(Path data) throws IOException {
    long n = 0;
    for (String f :
        List.of(PreparedData.TOX_EVALUATOR_TRAIN, PreparedData.TOX_VALID, PreparedData.GOLD)) {
      n += PreparedData.readLabelled(data.resolve(f)).size();
    }
    return n;
  }

  /**
   * Returns the metrics it wrote into the card: train/valid/gold accuracy and AUC, lexicon rates.
   */
  public JsonObject train(Path data, Path out, double l2, String command, IntConsumer progress)
      throws IOException {
    long start = System.nanoTime();
    List<LabelledText> train =
        PreparedData.readLabelled(data.resolve(PreparedData.TOX_EVALUATOR_TRAIN));
    float[][] x = encoder.embed(train.stream().map(LabelledText::text).toList(), progress);
    int[] y = train.stream().mapToInt(LabelledText::label).toArray();
    LogisticRegression classifier = LogisticRegression.fit(x, y, l2, 25);
    ToxicityEvaluator evaluator = new ToxicityEvaluator(encoder, classifier, 0.5);

    Files.createDirectories(out);
    Files.copy(
        data.resolve(PreparedData.LEXICON),
        out.resolve(ProfanityRate.FILE),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    ProfanityRate lexicon = ProfanityRate.load(out);

    JsonObject metrics = new JsonObject();
    metrics.add("train", measure(classifier, x, y));
    for (String split : List.of(PreparedData.TOX_VALID, PreparedData.GOLD)) {
      List<LabelledText> items = PreparedData.readLabelled(data.resolve(split));
      List<String> texts = items.stream().map(LabelledText::text).toList();
      double[] scores = evaluator.score(texts, progress);
      int[] labels = items.stream().mapToInt(LabelledText::label).toArray();
      JsonObject m = new JsonObject();
      m.addProperty("n", items.size());
      m.addProperty("auc", round(BinaryMetrics.auc(scores, labels)));
      m.addProperty("accuracy", round(BinaryMetrics.accuracy(scores, labels, 0.5)));
      m.addProperty("lexicon_rate_toxic", round(lexicon.rate(filter(items, 1))));
      m.addProperty("lexicon_rate_non_toxic", round(lexicon.rate(filter(items, 0))));
      metrics.add(split.equals(PreparedData.GOLD) ? "gold" : "valid", m);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    JsonObject extra = new JsonObject();
    extra.addProperty("l2", l2);
    extra.addProperty("train_items", train.size());
    extra.add("metrics", metrics);
    ToxicityEvaluator.save(out, classifier, 0.5, extra);
    Files.writeString(
        out.resolve("README.md"),
        card(data, command, l2, train.size(), seconds, metrics),
        StandardCharsets.UTF_8);
    return metrics;
  }

  private static JsonObject measure(LogisticRegression c, float[][] x, int[] y) {
    double[] s = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      s[i] = c.probability(x[i]);
    }
    JsonObject m = new JsonObject();
    m.addProperty("n", x.length);
    m.addProperty("auc", round(BinaryMetrics.auc(s, y)));
    m.addProperty("accuracy", round(BinaryMetrics.accuracy(s, y, 0.5)));
    return m;
  }

  private static List<String> filter(List<LabelledText> items, int label) {
    return items.stream().filter(t -> t.label() == label).map(LabelledText::text).toList();
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }

  private static String card(
      Path data, String command, double l2, int n, double seconds, JsonObject metrics)
      throws IOException {
    String manifest =
        Files.exists(data.resolve(PreparedData.MANIFEST))
            ? new com.google.gson.Gson()
                .fromJson(Files.readString(data.resolve(PreparedData.MANIFEST)), JsonObject.class)
                .get("seed")
                .getAsString()
            : "unknown";
    return "# armguard independent toxicity evaluator\n\n"
        + "- Kind: sentence embeddings + logistic regression (not a reward model; never used for"
        + " steering).\n"
        + "- Encoder: "
        + SentenceEncoder.ID
        + ", 384-d, mean-pooled, L2-normalised; runs offline.\n"
        + "- Classifier: L2-regularised logistic regression (lambda "
        + l2
        + ", class-balanced,"
        + " Newton/IRLS), threshold 0.5. Weights: `evaluator.json`.\n"
        + "- Training data: `"
        + PreparedData.TOX_EVALUATOR_TRAIN
        + "` ("
        + n
        + " texts, data seed "
        + manifest
        + "): weak labels per docs/data.md, disjoint from the reward models' split and"
        + " augmented with the other half of the templates; the evaluator's split alone also"
        + " holds the UCI sentiment sentences (negative tone toxic, positive clean).\n"
        + "- Second, model-free signal: `"
        + ProfanityRate.FILE
        + "` = cuss 2.2.0 (MIT) terms of"
        + " sureness 2, matched with obscenity-style normalisation.\n"
        + "- Command: `"
        + command
        + "`\n"
        + String.format(java.util.Locale.ROOT, "- Wall time: %.1f s%n", seconds)
        + "- Metrics (gold = hubot-insulter insults vs compliments, never trained on):\n\n"
        + "```json\n"
        + new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(metrics)
        + "\n```\n";
  }
}
