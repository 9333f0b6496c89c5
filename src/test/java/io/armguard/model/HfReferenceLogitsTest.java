package io.armguard.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * armguard's GPT-2 against Hugging Face transformers itself: checkpoints written by {@code
 * GPT2LMHeadModel.save_pretrained} (transformers 5.17, see tools/reference) load through {@link
 * ModelDirectory} and give the logits transformers computed for the same left-padded batch.
 */
class HfReferenceLogitsTest {

  /** fp32 accumulation-order differences between libtorch builds stay far below this. */
  private static final float TOLERANCE = 1e-4f;

  @ParameterizedTest
  @ValueSource(strings = {"gelu_new-f32", "gelu-f32", "gelu_new-f16", "gelu_new-bf16"})
  void logitsMatchTransformers(String fixture) throws Exception {
    Path dir =
        Paths.get(getClass().getResource("/hf-gpt2/" + fixture + "/config.json").toURI())
            .getParent();
    JsonObject expected =
        JsonParser.parseString(Files.readString(dir.resolve("expected_logits.json")))
            .getAsJsonObject();
    long[][] ids = longs(expected.getAsJsonArray("input_ids"));
    long[][] mask = longs(expected.getAsJsonArray("attention_mask"));
    long[][] pos = longs(expected.getAsJsonArray("position_ids"));
    JsonArray logits = expected.getAsJsonArray("logits");

    try (NDManager manager = NDManager.newBaseManager()) {
      ModelDirectory.Loaded loaded = ModelDirectory.load(dir, manager);
      NDArray hidden =
          loaded
              .backbone()
              .hidden(manager.create(ids), manager.create(pos), manager.create(mask), null, false);
      float[][][] actual = to3d(loaded.lm().logits(hidden));
      int compared = 0;
      float worst = 0f;
      for (int b = 0; b < ids.length; b++) {
        for (int t = 0; t < ids[b].length; t++) {
          if (mask[b][t] == 0) {
            continue; // HF's logits at pad positions are not meaningful
          }
          JsonArray row = logits.get(b).getAsJsonArray().get(t).getAsJsonArray();
          for (int v = 0; v < row.size(); v++) {
            worst = Math.max(worst, Math.abs(row.get(v).getAsFloat() - actual[b][t][v]));
            compared++;
          }
        }
      }
      assertEquals(15 * 1000, compared, "real positions x vocab");
      assertTrue(worst < TOLERANCE, fixture + ": max |logit diff| " + worst);
    }
  }

  private static long[][] longs(JsonArray rows) {
    long[][] out = new long[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      JsonArray row = rows.get(i).getAsJsonArray();
      out[i] = new long[row.size()];
      for (int j = 0; j < row.size(); j++) {
        out[i][j] = row.get(j).getAsLong();
      }
    }
    return out;
  }

  private static float[][][] to3d(NDArray array) {
    long[] shape = array.getShape().getShape();
    float[] flat = array.toFloatArray();
    float[][][] out = new float[(int) shape[0]][(int) shape[1]][(int) shape[2]];
    int i = 0;
    for (float[][] plane : out) {
      for (float[] row : plane) {
        for (int v = 0; v < row.length; v++) {
          row[v] = flat[i++];
        }
      }
    }
    return out;
  }
}
