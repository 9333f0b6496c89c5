package io.armguard.reward;

import ai.djl.ndarray.NDArray;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.Locale;

/**
 * How a reward model's raw head outputs become scores in [0, 1] ({@code armguard.json} key {@code
 * output}):
 *
 * <ul>
 *   <li>{@code clamp} (the MSE-trained models, the papers' rule): score = clamp(raw, 0, 1);
 *   <li>{@code sigmoid} (the BCE-trained reply-set models): score = sigmoid(scale_j * raw +
 *       bias_j), with a per-label Platt calibration fitted on validation data (scale 1, bias 0 =
 *       none).
 * </ul>
 *
 * Both are monotone in the raw score, so rankings (AUC, the rank analysis) do not depend on it.
 * Immutable; arrays are copied in and never exposed.
 */
public final class ScoreOutput {
  /** The activation applied after the affine calibration. */
  public enum Activation {
    CLAMP,
    SIGMOID
  }

  /** Clamp to [0, 1], no calibration (what models without an {@code output} key use). */
  public static final ScoreOutput CLAMP = new ScoreOutput(Activation.CLAMP, null, null);

  private final Activation activation;
  private final float[] scale;
  private final float[] bias;

  private ScoreOutput(Activation activation, float[] scale, float[] bias) {
    this.activation = activation;
    this.scale = scale == null ? null : scale.clone();
    this.bias = bias == null ? null : bias.clone();
  }

  /** Sigmoid with a per-label affine calibration; {@code scale} and {@code bias} have L entries. */
  public static ScoreOutput sigmoid(float[] scale, float[] bias) {
    if (scale.length != bias.length || scale.length == 0) {
      throw new IllegalArgumentException("scale and bias need one entry per label");
    }
    return new ScoreOutput(Activation.SIGMOID, scale, bias);
  }

  /** Sigmoid, uncalibrated, for {@code labels} labels. */
  public static ScoreOutput sigmoid(int labels) {
    float[] ones = new float[labels];
    Arrays.fill(ones, 1f);
    return sigmoid(ones, new float[labels]);
  }

  public Activation activation() {
    return activation;
  }

  public float scale(int label) {
    return scale == null ? 1f : scale[label];
  }

  public float bias(int label) {
    return bias == null ? 0f : bias[label];
  }

  /** Scores of raw outputs {@code [..., L]} (the last axis is the label). */
  public NDArray apply(NDArray raw) {
    if (activation == Activation.CLAMP) {
      return raw.clip(0f, 1f);
    }
    NDArray s = raw.getManager().create(scale);
    NDArray b = raw.getManager().create(bias);
    return raw.mul(s).add(b).getNDArrayInternal().sigmoid();
  }

  /** Scores of raw outputs of one label (any shape). */
  public NDArray apply(NDArray raw, int label) {
    if (activation == Activation.CLAMP) {
      return raw.clip(0f, 1f);
    }
    return raw.mul(scale[label]).add(bias[label]).getNDArrayInternal().sigmoid();
  }

  /** The score of one raw output of {@code label}. */
  public double apply(double raw, int label) {
    if (activation == Activation.CLAMP) {
      return Math.min(1, Math.max(0, raw));
    }
    return 1 / (1 + Math.exp(-(scale[label] * raw + bias[label])));
  }

  /** The same activation with a new calibration. */
  public ScoreOutput calibrated(float[] newScale, float[] newBias) {
    if (activation != Activation.SIGMOID) {
      throw new IllegalStateException("only sigmoid outputs are calibrated");
    }
    return sigmoid(newScale, newBias);
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("activation", activation.name().toLowerCase(Locale.ROOT));
    if (scale != null) {
      JsonArray s = new JsonArray();
      JsonArray b = new JsonArray();
      for (int i = 0; i < scale.length; i++) {
        s.add(scale[i]);
        b.add(bias[i]);
      }
      o.add("scale", s);
      o.add("bias", b);
    }
    return o;
  }

  static ScoreOutput fromJson(JsonObject o, int labels) {
    Activation a = Activation.valueOf(o.get("activation").getAsString().toUpperCase(Locale.ROOT));
    if (a == Activation.CLAMP) {
      return CLAMP;
    }
    if (!o.has("scale")) {
      return sigmoid(labels);
    }
    JsonArray s = o.getAsJsonArray("scale");
    JsonArray b = o.getAsJsonArray("bias");
    if (s.size() != labels || b.size() != labels) {
      throw new IllegalArgumentException("output scale/bias need " + labels + " entries");
    }
    float[] scale = new float[labels];
    float[] bias = new float[labels];
    for (int i = 0; i < labels; i++) {
      scale[i] = s.get(i).getAsFloat();
      bias[i] = b.get(i).getAsFloat();
    }
    return sigmoid(scale, bias);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ScoreOutput o
        && activation == o.activation
        && Arrays.equals(scale, o.scale)
        && Arrays.equals(bias, o.bias);
  }

  @Override
  public int hashCode() {
    return activation.hashCode() * 31 + Arrays.hashCode(scale) * 7 + Arrays.hashCode(bias);
  }

  @Override
  public String toString() {
    return toJson().toString();
  }
}
