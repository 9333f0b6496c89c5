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
public final class ToxicityJudge implements TextJudge {
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

  /** As {@link TextJudge#score(List)}; {@code progress} receives texts embedded per batch. */
  @Override
  public double[] score(List<String> texts, IntConsumer progress) {
    float[][][] pieces = embed(texts, progress);
    JudgeHead toxicity = heads.get(ReplyLabels.TOXICITY);
    double[] out = new double[pieces.length];
    for (int i = 0; i < pieces.length; i++) {
      out[i] = toxicity.probability(pieces[i]);
    }
    return out;
  }

  /** Every label's calibrated probability for each text, in order (labels in head order). */
  @Override
  public List<Map<String, Float>> scoreLabels(List<String> texts, IntConsumer progress) {
    return scoreEmbedded(embed(texts, progress));
  }

  /**
   * The vectors of each text's {@link TextSegments pieces}, in order; {@code progress} receives the
   * number of texts done.
   */
  public float[][][] embed(List<String> texts, IntConsumer progress) {
    return embedPieces(encoder, texts, progress);
  }

  /** As {@link #embed} with any encoder (the trainer embeds before a judge exists). */
  static float[][][] embedPieces(
      SentenceEncoder encoder, List<String> texts, IntConsumer progress) {
    List<String> flat = new ArrayList<>();
    int[] counts = new int[texts.size()];
    for (int i = 0; i < counts.length; i++) {
      List<String> pieces = TextSegments.of(texts.get(i));
      counts[i] = pieces.size();
      flat.addAll(pieces);
    }
    // progress in texts, not pieces: a text counts once its last piece is embedded
    int[] state = {0, 0, 0}; // pieces embedded, texts done, pieces of the texts done
    float[][] x =
        encoder.embed(
            flat,
            n -> {
              state[0] += n;
              int before = state[1];
              while (state[1] < counts.length && state[2] + counts[state[1]] <= state[0]) {
                state[2] += counts[state[1]++];
              }
              if (state[1] > before) {
                progress.accept(state[1] - before);
              }
            });
    float[][][] out = new float[texts.size()][][];
    int k = 0;
    for (int i = 0; i < out.length; i++) {
      out[i] = new float[counts[i]][];
      for (int j = 0; j < counts[i]; j++) {
        out[i][j] = x[k++];
      }
    }
    return out;
  }

  /** As {@link #scoreLabels} for texts already embedded by {@link #embed}. */
  public List<Map<String, Float>> scoreEmbedded(float[][][] pieces) {
    List<Map<String, Float>> out = new ArrayList<>(pieces.length);
    for (float[][] text : pieces) {
      Map<String, Float> m = new LinkedHashMap<>();
      heads.forEach((label, h) -> m.put(label, (float) h.probability(text)));
      out.add(m);
    }
    return out;
  }

  /** Decision threshold for "toxic" on the calibrated toxicity probability. */
  @Override
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
    o.addProperty("pieces", TextSegments.DESCRIPTION);
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
