package io.armguard.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirectoryTest {

  private static final int[] TOKENS = {5, 17, 42, 99, 3, 250, 11};
  private static NDManager manager;
  private static CausalLm lm;

  @TempDir Path tmp;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
    lm = TinyModels.lm(TinyModels.config(), manager, 3);
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  @Test
  void saveLoadRoundTripIsBitExact() throws IOException {
    NDArray head = manager.create(new float[] {0.25f, -1.5f, 3f}).reshape(1, 3);
    try (TextTokenizer tok = TextTokenizer.gpt2(43)) {
      ModelDirectory.save(
          tmp, lm.backbone(), Map.of("rad_head.weight", head), tok, SafetensorsDType.F32);
    }
    try (NDManager m = manager.newSubManager()) {
      ModelDirectory.Loaded loaded = ModelDirectory.load(tmp, m);
      assertEquals(lm.config(), loaded.config());
      lm.backbone()
          .namedParameters()
          .forEach(
              (name, p) ->
                  assertArrayEquals(
                      p.getArray().toFloatArray(),
                      loaded.backbone().namedParameters().get(name).getArray().toFloatArray(),
                      name));
      assertArrayEquals(
          TinyModels.fullLogits(lm, TOKENS, manager)[6],
          TinyModels.fullLogits(loaded.lm(), TOKENS, manager)[6]);
      assertArrayEquals(head.toFloatArray(), loaded.extras().get("rad_head.weight").toFloatArray());
      assertEquals(300, loaded.tokenizer().vocabSize());
      assertTrue(loaded.id().matches(".+@[0-9a-f]{12}"), loaded.id());
      loaded.tokenizer().close();
    }
  }

  @Test
  void float16SaveRoundsToHalfPrecision() throws IOException {
    ModelDirectory.save(tmp, lm.backbone(), Map.of(), null, SafetensorsDType.F16);
    try (NDManager m = manager.newSubManager()) {
      ModelDirectory.Loaded loaded = ModelDirectory.load(tmp, m);
      float[] orig =
          lm.backbone().namedParameters().get("h.1.mlp.c_fc.weight").getArray().toFloatArray();
      float[] back =
          loaded.backbone().namedParameters().get("h.1.mlp.c_fc.weight").getArray().toFloatArray();
      for (int i = 0; i < orig.length; i++) {
        assertEquals(orig[i], back[i], Math.abs(orig[i]) / 1024f + 1e-7f);
      }
    }
  }

  @Test
  void rejectsLinearOrientedWeightsWithAHint() throws IOException {
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    lm.backbone().namedParameters().forEach((n, p) -> tensors.put(n, p.getArray()));
    tensors.put("h.0.attn.c_attn.weight", tensors.get("h.0.attn.c_attn.weight").transpose());
    lm.config().write(tmp.resolve(ModelDirectory.CONFIG));
    SafetensorsWriter.write(
        tmp.resolve(ModelDirectory.WEIGHTS), tensors, SafetensorsDType.F32, Map.of());
    IOException e = assertThrows(IOException.class, () -> ModelDirectory.load(tmp, manager));
    assertTrue(e.getMessage().contains("Conv1D"), e.getMessage());
  }

  @Test
  void reportsMissingTensorsByName() throws IOException {
    Map<String, NDArray> partial = new LinkedHashMap<>();
    lm.backbone().namedParameters().forEach((n, p) -> partial.put(n, p.getArray()));
    partial.remove("h.1.ln_2.bias");
    lm.config().write(tmp.resolve(ModelDirectory.CONFIG));
    SafetensorsWriter.write(
        tmp.resolve(ModelDirectory.WEIGHTS), partial, SafetensorsDType.F32, Map.of());
    IOException e = assertThrows(IOException.class, () -> ModelDirectory.load(tmp, manager));
    assertTrue(e.getMessage().contains("[h.1.ln_2.bias]"), e.getMessage());
    assertTrue(Files.exists(tmp.resolve(ModelDirectory.WEIGHTS)));
  }
}
