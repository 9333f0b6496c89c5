package io.armguard.eval;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The independent toxicity evaluator: {@link SentenceEncoder} embeddings scored by a {@link
 * LogisticRegression}. Stored as {@code evaluator.json} (encoder id, dimension, weights, bias,
 * threshold) in a model directory next to its card. Thread-safe after construction.
 */
public final class ToxicityEvaluator {
  public static final String FILE = "evaluator.json";
  private static final Gson GSON = new GsonBuilder().create();

  private final SentenceEncoder encoder;
  private final LogisticRegression classifier;
  private final double threshold;

  public ToxicityEvaluator(
      SentenceEncoder encoder, LogisticRegression classifier, double threshold) {
    if (classifier.weights().length != encoder.dimension()) {
      throw new IllegalArgumentException(
          "classifier has "
              + classifier.weights().length
              + " weights, encoder "
              + encoder.dimension()
              + " dimensions");
    }
    this.encoder = encoder;
    this.classifier = classifier;
    this.threshold = threshold;
  }

  /** Toxicity probability of each text, in order. */
  public double[] score(List<String> texts) {
    return score(texts, n -> {});
  }

  public double[] score(List<String> texts, IntConsumer progress) {
    float[][] x = encoder.embed(texts, progress);
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = classifier.probability(x[i]);
    }
    return out;
  }

  /** Decision threshold for "toxic" (0.5 as in the papers' toxic rate). */
  public double threshold() {
    return threshold;
  }

  public LogisticRegression classifier() {
    return classifier;
  }

  /** Loads {@code evaluator.json} from a model directory (the encoder comes from the classpath). */
  public static ToxicityEvaluator load(Path dir) throws IOException {
    JsonObject o = GSON.fromJson(Files.readString(dir.resolve(FILE)), JsonObject.class);
    JsonArray w = o.getAsJsonArray("weights");
    double[] weights = new double[w.size()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = w.get(i).getAsDouble();
    }
    return new ToxicityEvaluator(
        new SentenceEncoder(),
        new LogisticRegression(weights, o.get("bias").getAsDouble()),
        o.get("threshold").getAsDouble());
  }

  /** Writes {@code evaluator.json}; {@code extra} (training facts) is merged in. */
  public static void save(
      Path dir, LogisticRegression classifier, double threshold, JsonObject extra)
      throws IOException {
    JsonObject o = new JsonObject();
    o.addProperty("kind", "toxicity-evaluator");
    o.addProperty("encoder", SentenceEncoder.ID);
    o.addProperty("dimension", classifier.weights().length);
    o.addProperty("threshold", threshold);
    o.addProperty("bias", classifier.bias());
    JsonArray w = new JsonArray();
    for (double v : classifier.weights()) {
      w.add((float) v);
    }
    o.add("weights", w);
    extra.entrySet().forEach(e -> o.add(e.getKey(), e.getValue()));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(FILE), GSON.toJson(o) + "\n", StandardCharsets.UTF_8);
  }
}
