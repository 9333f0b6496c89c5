package io.armguard.eval;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.armguard.data.ReplyLabels;
import io.armguard.train.PlattCalibration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * The independent toxicity judge of {@code eval detox} and {@code eval reward}: a frozen sentence
 * encoder of another model family than the reward models ({@link BgeSmallEncoder}) with one
 * calibrated {@link JudgeHead} per label. Stored as {@value #FILE} in a model directory (encoder
 * coordinates and ONNX SHA-256, threshold, heads) next to its card; the encoder's weights come from
 * the Maven artifact, never from the directory. Never used for steering. Thread-safe after
 * construction.
 */
public final class ToxicityJudge {
  public static final String FILE = "judge.json";
  public static final String KIND = "toxicity-judge";

  private final SentenceEncoder encoder;
  private final Map<String, JudgeHead> heads;
  private final double threshold;

  /**
   * @param heads one per label, {@code toxicity} among them; every head as long as the encoder's
   *     vectors
   * @param threshold decision threshold on the calibrated {@code toxicity} probability
   */
  public ToxicityJudge(SentenceEncoder encoder, List<JudgeHead> heads, double threshold) {
    this.encoder = encoder;
    this.heads = new LinkedHashMap<>();
    for (JudgeHead h : heads) {
      if (h.classifier().weights().length != encoder.dimension()) {
        throw new IllegalArgumentException(
            "head "
                + h.label()
                + " has "
                + h.classifier().weights().length
                + " weights, the encoder "
                + encoder.dimension()
                + " dimensions");
      }
      this.heads.put(h.label(), h);
    }
    if (!this.heads.containsKey(ReplyLabels.TOXICITY)) {
      throw new IllegalArgumentException("a judge needs a " + ReplyLabels.TOXICITY + " head");
    }
    this.threshold = threshold;
  }

  /** Calibrated {@code toxicity} probability of each text, in order. */
  public double[] score(List<String> texts) {
    return score(texts, n -> {});
  }

  /** As {@link #score(List)}; {@code progress} receives texts embedded per batch. */
  public double[] score(List<String> texts, IntConsumer progress) {
    float[][] x = encoder.embed(texts, progress);
    JudgeHead toxicity = heads.get(ReplyLabels.TOXICITY);
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = toxicity.probability(x[i]);
    }
    return out;
  }

  /** Every label's calibrated probability for each text, in order (labels in head order). */
  public List<Map<String, Float>> scoreLabels(List<String> texts, IntConsumer progress) {
    return scoreEmbedded(encoder.embed(texts, progress));
  }

  /** As {@link #scoreLabels} for texts already embedded by this judge's encoder. */
  public List<Map<String, Float>> scoreEmbedded(float[][] x) {
    List<Map<String, Float>> out = new ArrayList<>(x.length);
    for (float[] row : x) {
      Map<String, Float> m = new LinkedHashMap<>();
      heads.forEach((label, h) -> m.put(label, (float) h.probability(row)));
      out.add(m);
    }
    return out;
  }

  /** Decision threshold for "toxic" on the calibrated toxicity probability. */
  public double threshold() {
    return threshold;
  }

  public List<String> labels() {
    return List.copyOf(heads.keySet());
  }

  public JudgeHead head(String label) {
    JudgeHead h = heads.get(label);
    if (h == null) {
      throw new IllegalArgumentException("no head " + label + "; the judge has " + labels());
    }
    return h;
  }

  /**
   * Loads {@value #FILE} from a model directory; the encoder comes from the classpath and must have
   * the SHA-256 the file records.
   *
   * @throws IOException if the file is missing or malformed
   * @throws IllegalStateException if the encoder artifact is missing or differs
   */
  public static ToxicityJudge load(Path dir) throws IOException {
    return load(dir, BgeSmallEncoder::verified);
  }

  /**
   * Loads {@value #FILE} with the encoder {@code encoderFor} returns for the recorded SHA-256
   * (tests pass a stand-in encoder).
   */
  static ToxicityJudge load(Path dir, Function<String, SentenceEncoder> encoderFor)
      throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          "no " + FILE + " in " + dir + " (train one with ./armguard train judge)");
    }
    JsonObject o = new GsonBuilder().create().fromJson(Files.readString(file), JsonObject.class);
    String sha256;
    List<JudgeHead> heads = new ArrayList<>();
    double threshold;
    try {
      if (!KIND.equals(o.get("kind").getAsString())) {
        throw new IOException(file + ": kind is " + o.get("kind") + ", expected " + KIND);
      }
      sha256 = o.getAsJsonObject("encoder").get("sha256").getAsString();
      for (JsonElement e : o.getAsJsonArray("heads")) {
        JsonObject h = e.getAsJsonObject();
        JsonArray w = h.getAsJsonArray("weights");
        double[] weights = new double[w.size()];
        for (int i = 0; i < weights.length; i++) {
          weights[i] = w.get(i).getAsDouble();
        }
        heads.add(
            new JudgeHead(
                h.get("label").getAsString(),
                new LogisticRegression(weights, h.get("bias").getAsDouble()),
                new PlattCalibration.Fit(
                    h.get("platt_scale").getAsFloat(), h.get("platt_bias").getAsFloat())));
      }
      threshold = o.get("threshold").getAsDouble();
    } catch (NullPointerException | ClassCastException | IllegalStateException e) {
      throw new IOException(file + ": malformed judge file: " + e, e);
    }
    return new ToxicityJudge(encoderFor.apply(sha256), heads, threshold);
  }

  /**
   * Writes {@value #FILE}: the encoder's identity ({@code encoderSpec}: id, Maven coordinates, ONNX
   * entry, SHA-256, pooling), the threshold and the heads; {@code extra} (training facts) is merged
   * in.
   */
  public static void save(
      Path dir, JsonObject encoderSpec, List<JudgeHead> heads, double threshold, JsonObject extra)
      throws IOException {
    JsonObject o = new JsonObject();
    o.addProperty("kind", KIND);
    o.add("encoder", encoderSpec);
    o.addProperty("threshold", threshold);
    o.addProperty("decision_label", ReplyLabels.TOXICITY);
    JsonArray hs = new JsonArray();
    for (JudgeHead h : heads) {
      JsonObject ho = new JsonObject();
      ho.addProperty("label", h.label());
      ho.addProperty("platt_scale", h.calibration().scale());
      ho.addProperty("platt_bias", h.calibration().bias());
      ho.addProperty("bias", h.classifier().bias());
      JsonArray w = new JsonArray();
      for (double v : h.classifier().weights()) {
        w.add((float) v);
      }
      ho.add("weights", w);
      hs.add(ho);
    }
    o.add("heads", hs);
    extra.entrySet().forEach(e -> o.add(e.getKey(), e.getValue()));
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve(FILE),
        new GsonBuilder().disableHtmlEscaping().create().toJson(o) + "\n",
        StandardCharsets.UTF_8);
  }

  /** The encoder description {@link #save} records for {@link BgeSmallEncoder}. */
  public static JsonObject bgeSpec(String sha256) {
    JsonObject e = new JsonObject();
    e.addProperty("id", "bge-small-en-v1.5");
    e.addProperty("maven", BgeSmallEncoder.MAVEN);
    e.addProperty("onnx", BgeSmallEncoder.ONNX_ENTRY);
    e.addProperty("sha256", sha256);
    e.addProperty("pooling", BgeSmallEncoder.POOLING);
    e.addProperty("dimension", 384);
    e.addProperty("frozen", true);
    return e;
  }
}
