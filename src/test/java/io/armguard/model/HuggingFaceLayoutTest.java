package io.armguard.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint written the way Hugging Face writes GPT-2 (HF names, Conv1D [in, out] weights,
 * attention-mask buffers, tied lm_head; with and without GPT2LMHeadModel's {@code transformer.}
 * prefix; F32 and BF16) loads and gives the logits of an independent plain-Java GPT-2 forward over
 * the same tensors. Tolerance 5e-5 on logits of magnitude ~5 (measured <= 4e-6).
 */
class HuggingFaceLayoutTest {

  private static final float TOLERANCE = 5e-5f;
  private static final int[] TOKENS = {1, 7, 33, 2, 90, 61, 5, 5, 12};
  private static NDManager manager;

  @TempDir Path dir;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  /** Random HF-layout tensors (no prefix) for {@code c}; large enough that GELU forms differ. */
  static Map<String, RawSafetensors.Tensor> randomGpt2(GptConfig c, long seed) {
    Random r = new Random(seed);
    int d = c.nEmbd();
    Map<String, RawSafetensors.Tensor> t = new LinkedHashMap<>();
    t.put("wte.weight", gaussian(r, 0.3f, c.vocabSize(), d));
    t.put("wpe.weight", gaussian(r, 0.3f, c.nPositions(), d));
    for (int l = 0; l < c.nLayer(); l++) {
      String p = "h." + l + ".";
      t.put(p + "ln_1.weight", gaussian(r, 0.5f, d).plusOne());
      t.put(p + "ln_1.bias", gaussian(r, 0.1f, d));
      t.put(p + "attn.bias", mask(c.nPositions()));
      t.put(p + "attn.c_attn.weight", gaussian(r, 0.4f, d, 3 * d));
      t.put(p + "attn.c_attn.bias", gaussian(r, 0.1f, 3 * d));
      t.put(p + "attn.c_proj.weight", gaussian(r, 0.3f, d, d));
      t.put(p + "attn.c_proj.bias", gaussian(r, 0.1f, d));
      t.put(p + "ln_2.weight", gaussian(r, 0.5f, d).plusOne());
      t.put(p + "ln_2.bias", gaussian(r, 0.1f, d));
      t.put(p + "mlp.c_fc.weight", gaussian(r, 0.5f, d, 4 * d));
      t.put(p + "mlp.c_fc.bias", gaussian(r, 0.1f, 4 * d));
      t.put(p + "mlp.c_proj.weight", gaussian(r, 0.2f, 4 * d, d));
      t.put(p + "mlp.c_proj.bias", gaussian(r, 0.1f, d));
    }
    t.put("ln_f.weight", gaussian(r, 0.5f, d).plusOne());
    t.put("ln_f.bias", gaussian(r, 0.1f, d));
    return t;
  }

  private static GptConfig config(String activation) {
    return new GptConfig(97, 16, 24, 2, 3, activation, 1e-5f, 96, 96);
  }

  @Test
  void prefixedAndUnprefixedF32CheckpointsMatchTheReference() throws IOException {
    GptConfig c = config("gelu_new");
    Map<String, RawSafetensors.Tensor> t = randomGpt2(c, 1);
    float[] expected = reference(c, t, false);
    assertLoadsTo(
        c, withLmHead(rename(t, n -> "transformer." + n)), SafetensorsDType.F32, expected);
    assertLoadsTo(c, t, SafetensorsDType.F32, expected);
  }

  @Test
  void bf16CheckpointIsWidenedInJava() throws IOException {
    GptConfig c = config("gelu_new");
    Map<String, RawSafetensors.Tensor> t = randomGpt2(c, 2);
    Map<String, RawSafetensors.Tensor> truncated = new LinkedHashMap<>();
    t.forEach((n, v) -> truncated.put(n, v.map(RawSafetensors::bf16)));
    assertLoadsTo(
        c,
        rename(t, n -> "transformer." + n),
        SafetensorsDType.BF16,
        reference(c, truncated, false));
  }

  @Test
  void activationFunctionFromConfigIsHonoured() throws IOException {
    GptConfig exact = config("gelu");
    Map<String, RawSafetensors.Tensor> t = randomGpt2(exact, 3);
    float[] refExact = reference(exact, t, true);
    float[] refTanh = reference(exact, t, false);
    float gap = TinyModels.maxAbsDiff(refExact, refTanh);
    assertTrue(
        gap > 10 * TOLERANCE, "test weights must make the two GELU forms distinguishable: " + gap);
    assertLoadsTo(exact, t, SafetensorsDType.F32, refExact);
    assertLoadsTo(config("gelu_new"), t, SafetensorsDType.F32, refTanh);
  }

  private void assertLoadsTo(
      GptConfig c,
      Map<String, RawSafetensors.Tensor> tensors,
      SafetensorsDType dtype,
      float[] expected)
      throws IOException {
    c.write(dir.resolve(ModelDirectory.CONFIG));
    RawSafetensors.write(dir.resolve(ModelDirectory.WEIGHTS), tensors, dtype);
    try (NDManager m = manager.newSubManager()) {
      ModelDirectory.Loaded loaded = ModelDirectory.load(dir, m);
      assertTrue(
          loaded.extras().isEmpty(),
          "buffers and lm_head are not extras: " + loaded.extras().keySet());
      float[][] all = TinyModels.fullLogits(loaded.lm(), TOKENS, m);
      float[] actual = flatten(all);
      float diff = TinyModels.maxAbsDiff(expected, actual);
      assertTrue(diff < TOLERANCE, dtype + " " + c.activationFunction() + ": max |diff| " + diff);
    }
  }

  private static float[] reference(
      GptConfig c, Map<String, RawSafetensors.Tensor> t, boolean exact) {
    Map<String, float[]> w = new LinkedHashMap<>();
    t.forEach((n, v) -> w.put(n, v.data()));
    return flatten(new ReferenceGpt2(c, w, exact).logits(TOKENS));
  }

  private static float[] flatten(float[][] a) {
    float[] out = new float[a.length * a[0].length];
    for (int i = 0; i < a.length; i++) {
      System.arraycopy(a[i], 0, out, i * a[0].length, a[0].length);
    }
    return out;
  }

  private static Map<String, RawSafetensors.Tensor> rename(
      Map<String, RawSafetensors.Tensor> t, UnaryOperator<String> f) {
    Map<String, RawSafetensors.Tensor> out = new LinkedHashMap<>();
    t.forEach((n, v) -> out.put(f.apply(n), v));
    return out;
  }

  private static Map<String, RawSafetensors.Tensor> withLmHead(
      Map<String, RawSafetensors.Tensor> t) {
    Map<String, RawSafetensors.Tensor> out = new LinkedHashMap<>(t);
    out.put("lm_head.weight", t.get("transformer.wte.weight"));
    return out;
  }

  private static RawSafetensors.Tensor gaussian(Random r, float std, long... shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    float[] data = new float[(int) n];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (r.nextGaussian() * std);
    }
    return new RawSafetensors.Tensor(shape, data);
  }

  private static RawSafetensors.Tensor mask(int n) {
    float[] data = new float[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        data[i * n + j] = 1f;
      }
    }
    return new RawSafetensors.Tensor(new long[] {1, 1, n, n}, data);
  }
}
