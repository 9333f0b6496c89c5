package io.armguard.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.armguard.model.AttentionMode;
import io.armguard.model.Backbone;
import io.armguard.model.BertBackbone;
import io.armguard.model.KvCache;
import io.armguard.model.LeftPadding;
import java.util.Arrays;
import java.util.Random;

/**
 * Forward cost of a backbone alone (no head, no sampling): bidirectional batch encoding in texts/s
 * (BERT only) and causal one-token KV-cached steps in ms/step after a prefill. Token ids are
 * random: cost does not depend on them. Inference only (autograd off is the caller's business).
 */
public final class BackboneBenchmark {

  private final Backbone backbone;
  private final NDManager root;
  private final Random random = new Random(5);

  public BackboneBenchmark(Backbone backbone, NDManager root) {
    this.backbone = backbone;
    this.root = root;
  }

  /**
   * Encodes {@code batches} batches of {@code batch} right-padded texts of {@code tokens} tokens
   * bidirectionally after one warm-up batch; null for a backbone without a bidirectional mode.
   */
  public JsonObject bidirectional(int batch, int tokens, int batches) {
    if (!(backbone instanceof BertBackbone bert)) {
      return null;
    }
    encodeOnce(bert, batch, tokens);
    long start = System.nanoTime();
    for (int i = 0; i < batches; i++) {
      encodeOnce(bert, batch, tokens);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    JsonObject o = header("bidirectional");
    o.addProperty("batch", batch);
    o.addProperty("tokens", tokens);
    o.addProperty("texts_per_second", Statistics.round(batch * (double) batches / seconds, 2));
    o.addProperty("ms_per_batch", Statistics.round(seconds * 1000 / batches, 2));
    return o;
  }

  private void encodeOnce(BertBackbone bert, int batch, int tokens) {
    try (NDManager m = root.newSubManager()) {
      long[][] mask = new long[batch][tokens];
      for (long[] row : mask) {
        Arrays.fill(row, 1L);
      }
      bert.encode(m.create(ids(batch, tokens)), null, m.create(mask), false).toFloatArray();
    }
  }

  /**
   * Prefills {@code batch} rows of {@code prompt} tokens, then times {@code steps} one-token steps
   * (after two untimed ones).
   */
  public JsonObject causalSteps(int batch, int prompt, int steps) {
    if (backbone.attentionMode() != AttentionMode.CAUSAL) {
      throw new IllegalArgumentException("causal steps need a causal backbone");
    }
    try (NDManager m = root.newSubManager();
        KvCache cache = new KvCache(m, backbone.config().layerCount())) {
      int[][] prompts = new int[batch][prompt];
      long[][] flat = ids(batch, prompt);
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < prompt; t++) {
          prompts[b][t] = (int) flat[b][t];
        }
      }
      NDList in = LeftPadding.pad(prompts, 0, m);
      long prefillStart = System.nanoTime();
      backbone.hidden(in.get(0), in.get(2), in.get(1), cache, false).toFloatArray();
      double prefillMs = (System.nanoTime() - prefillStart) / 1e6;
      long start = 0;
      for (int s = 0; s < steps + 2; s++) {
        if (s == 2) {
          start = System.nanoTime();
        }
        try (NDManager step = m.newSubManager()) {
          long[][] pos = new long[batch][1];
          long[][] mask = new long[batch][prompt + s + 1];
          for (int b = 0; b < batch; b++) {
            pos[b][0] = prompt + s;
            Arrays.fill(mask[b], 1L);
          }
          NDArray h =
              backbone.hidden(
                  step.create(ids(batch, 1)), step.create(pos), step.create(mask), cache, false);
          h.toFloatArray();
        }
      }
      double ms = (System.nanoTime() - start) / 1e6 / steps;
      JsonObject o = header("causal_step");
      o.addProperty("batch", batch);
      o.addProperty("prompt_tokens", prompt);
      o.addProperty("prefill_ms", Statistics.round(prefillMs, 2));
      o.addProperty("ms_per_step", Statistics.round(ms, 2));
      return o;
    }
  }

  private JsonObject header(String what) {
    JsonObject o = new JsonObject();
    o.addProperty("benchmark", "backbone_" + what);
    o.addProperty("model_type", backbone.config().modelType());
    o.addProperty("layers", backbone.config().layerCount());
    o.addProperty("d_model", backbone.config().hiddenSize());
    o.addProperty("vocab", backbone.config().vocabSize());
    return o;
  }

  private long[][] ids(int batch, int tokens) {
    long[][] out = new long[batch][tokens];
    int v = backbone.config().vocabSize();
    for (long[] row : out) {
      for (int t = 0; t < tokens; t++) {
        row[t] = 1000 % v + random.nextInt(v - 1000 % v);
      }
    }
    return out;
  }
}
