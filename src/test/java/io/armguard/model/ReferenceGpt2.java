package io.armguard.model;

import java.util.Map;

/**
 * GPT-2's forward pass in plain Java over Hugging Face-layout tensors (names without prefix, Conv1D
 * weights [in, out]), one unpadded sequence: an independent reference for the DJL model.
 */
final class ReferenceGpt2 {

  private final GptConfig c;
  private final Map<String, float[]> w;
  private final boolean exactGelu;

  ReferenceGpt2(GptConfig config, Map<String, float[]> weights, boolean exactGelu) {
    this.c = config;
    this.w = weights;
    this.exactGelu = exactGelu;
  }

  /** Logits [T][V]. */
  float[][] logits(int[] tokens) {
    int t = tokens.length;
    int d = c.nEmbd();
    float[][] x = new float[t][d];
    for (int i = 0; i < t; i++) {
      for (int j = 0; j < d; j++) {
        x[i][j] = w.get("wte.weight")[tokens[i] * d + j] + w.get("wpe.weight")[i * d + j];
      }
    }
    for (int l = 0; l < c.nLayer(); l++) {
      String p = "h." + l + ".";
      float[][] a = layerNorm(x, p + "ln_1");
      float[][] qkv = conv1d(a, p + "attn.c_attn", 3 * d);
      float[][] att = attention(qkv);
      add(x, conv1d(att, p + "attn.c_proj", d));
      float[][] m = conv1d(layerNorm(x, p + "ln_2"), p + "mlp.c_fc", 4 * d);
      for (float[] row : m) {
        for (int j = 0; j < row.length; j++) {
          row[j] = gelu(row[j]);
        }
      }
      add(x, conv1d(m, p + "mlp.c_proj", d));
    }
    float[][] h = layerNorm(x, "ln_f");
    float[][] out = new float[t][c.vocabSize()];
    float[] wte = w.get("wte.weight");
    for (int i = 0; i < t; i++) {
      for (int v = 0; v < c.vocabSize(); v++) {
        double s = 0;
        for (int j = 0; j < d; j++) {
          s += h[i][j] * wte[v * d + j];
        }
        out[i][v] = (float) s;
      }
    }
    return out;
  }

  private float[][] attention(float[][] qkv) {
    int t = qkv.length;
    int d = c.nEmbd();
    int hd = c.headDim();
    float[][] out = new float[t][d];
    for (int head = 0; head < c.nHead(); head++) {
      for (int i = 0; i < t; i++) {
        double[] s = new double[i + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j <= i; j++) {
          double dot = 0;
          for (int e = 0; e < hd; e++) {
            dot += qkv[i][head * hd + e] * qkv[j][d + head * hd + e];
          }
          s[j] = dot / Math.sqrt(hd);
          max = Math.max(max, s[j]);
        }
        double sum = 0;
        for (int j = 0; j <= i; j++) {
          s[j] = Math.exp(s[j] - max);
          sum += s[j];
        }
        for (int e = 0; e < hd; e++) {
          double acc = 0;
          for (int j = 0; j <= i; j++) {
            acc += s[j] / sum * qkv[j][2 * d + head * hd + e];
          }
          out[i][head * hd + e] = (float) acc;
        }
      }
    }
    return out;
  }

  private float[][] conv1d(float[][] x, String name, int outDim) {
    float[] weight = w.get(name + ".weight");
    float[] bias = w.get(name + ".bias");
    int in = x[0].length;
    float[][] y = new float[x.length][outDim];
    for (int i = 0; i < x.length; i++) {
      for (int o = 0; o < outDim; o++) {
        double s = bias[o];
        for (int k = 0; k < in; k++) {
          s += x[i][k] * weight[k * outDim + o];
        }
        y[i][o] = (float) s;
      }
    }
    return y;
  }

  private float[][] layerNorm(float[][] x, String name) {
    float[] g = w.get(name + ".weight");
    float[] b = w.get(name + ".bias");
    float[][] y = new float[x.length][x[0].length];
    for (int i = 0; i < x.length; i++) {
      double mean = 0;
      for (float v : x[i]) {
        mean += v;
      }
      mean /= x[i].length;
      double var = 0;
      for (float v : x[i]) {
        var += (v - mean) * (v - mean);
      }
      var /= x[i].length;
      for (int j = 0; j < x[i].length; j++) {
        y[i][j] = (float) ((x[i][j] - mean) / Math.sqrt(var + c.layerNormEpsilon()) * g[j] + b[j]);
      }
    }
    return y;
  }

  private static void add(float[][] x, float[][] y) {
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[i].length; j++) {
        x[i][j] += y[i][j];
      }
    }
  }

  private float gelu(float v) {
    if (exactGelu) {
      return (float) (0.5 * v * (1 + erf(v / Math.sqrt(2))));
    }
    return (float) (0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))));
  }

  /** erf by its Maclaurin series (|x| small) or continued fraction tail; accurate to ~1e-12. */
  static double erf(double x) {
    double ax = Math.abs(x);
    double r;
    if (ax < 3) {
      double term = ax;
      double sum = ax;
      for (int n = 1; n < 200; n++) {
        term *= -ax * ax / n;
        sum += term / (2 * n + 1);
      }
      r = 2 / Math.sqrt(Math.PI) * sum;
    } else {
      r = 1.0; // erfc(3) = 2e-5; beyond, float precision
      r -= Math.exp(-ax * ax) / (ax * Math.sqrt(Math.PI)) * (1 - 1 / (2 * ax * ax));
    }
    return x < 0 ? -r : r;
  }
}
