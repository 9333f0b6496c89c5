package io.armguard.model.onnx;

import io.armguard.model.PinnedArtifacts;
import io.armguard.model.onnx.OnnxWeightsTest.Proto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A tiny BERT encoder exported the way langchain4j's jars hold MiniLM (an ONNX graph whose matmul
 * weights are anonymous {@code [in, out]} initializers consumed by named MatMul nodes, plus a
 * WordPiece {@code tokenizer.json} and Maven metadata), written into a throw-away Maven repository:
 * the external-tensor tests run on it in milliseconds instead of on the 90 MB MiniLM file.
 *
 * <p>Shape: vocab 40, d 8, 2 layers, 2 heads (head_dim 4), FFN 16, 16 positions, 2 token types;
 * random weights from a seed.
 */
public final class TinyBertJar {

  public static final String COORDINATES = "io.armguard.test:tiny-bert:1.0";
  public static final String ENTRY = "tiny-bert.onnx";
  public static final int VOCAB = 40;
  public static final int D = 8;
  public static final int LAYERS = 2;
  public static final int FFN = 16;

  private static final String[] SPECIAL = {"[PAD]", "[UNK]", "[CLS]", "[SEP]"};

  private TinyBertJar() {}

  /** Writes the jar under the Maven repository rooted at {@code repo}; returns the jar's path. */
  public static Path writeInto(Path repo, long seed) throws IOException {
    Path jar = PinnedArtifacts.jarIn(repo, COORDINATES);
    Files.createDirectories(jar.getParent());
    try (OutputStream f = Files.newOutputStream(jar);
        ZipOutputStream zip = new ZipOutputStream(f)) {
      put(zip, ENTRY, onnx(seed));
      put(zip, "tiny-bert-tokenizer.json", tokenizer().getBytes(StandardCharsets.UTF_8));
      put(
          zip,
          "META-INF/maven/io.armguard.test/tiny-bert/pom.properties",
          "groupId=io.armguard.test\nartifactId=tiny-bert\nversion=1.0\n"
              .getBytes(StandardCharsets.UTF_8));
    }
    return jar;
  }

  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(bytes);
    zip.closeEntry();
  }

  /** The ONNX model bytes. */
  static byte[] onnx(long seed) {
    Random rnd = new Random(seed);
    Proto graph = new Proto();
    List<Proto> inits = new ArrayList<>();
    inits.add(tensor("embeddings.word_embeddings.weight", rnd, VOCAB, D));
    inits.add(tensor("embeddings.position_embeddings.weight", rnd, 16, D));
    inits.add(tensor("embeddings.token_type_embeddings.weight", rnd, 2, D));
    inits.add(tensor("embeddings.LayerNorm.weight", rnd, D));
    inits.add(tensor("embeddings.LayerNorm.bias", rnd, D));
    graph.message(1, constant("eps", 1e-12f));
    graph.message(1, node("/embeddings/LayerNorm/Add", "Add", "ln_var", "eps"));
    int anonymous = 100;
    String[][] projections = {
      {"attention/self/query", "8", "8"},
      {"attention/self/key", "8", "8"},
      {"attention/self/value", "8", "8"},
      {"attention/output/dense", "8", "8"},
      {"intermediate/dense", "8", "16"},
      {"output/dense", "16", "8"}
    };
    for (int l = 0; l < LAYERS; l++) {
      String p = "encoder.layer." + l + ".";
      for (String[] proj : projections) {
        String w = "onnx::MatMul_" + anonymous++;
        int in = Integer.parseInt(proj[1]);
        int out = Integer.parseInt(proj[2]);
        inits.add(tensor(w, rnd, in, out));
        graph.message(1, node("/encoder/layer." + l + "/" + proj[0] + "/MatMul", "MatMul", "x", w));
        inits.add(tensor(p + proj[0].replace('/', '.') + ".bias", rnd, out));
      }
      for (String ln : new String[] {"attention.output.LayerNorm", "output.LayerNorm"}) {
        inits.add(tensor(p + ln + ".weight", rnd, D));
        inits.add(tensor(p + ln + ".bias", rnd, D));
      }
    }
    graph.message(1, constant("scale", 2f)); // sqrt(head_dim 4)
    graph.message(1, node("/encoder/layer.0/attention/self/Div", "Div", "scores", "scale"));
    graph.message(1, node("/encoder/layer.0/intermediate/intermediate_act_fn/Erf", "Erf", "h"));
    for (Proto t : inits) {
      graph.message(5, t);
    }
    return new Proto().varint(1, 8).string(2, "pytorch").message(7, graph).out.toByteArray();
  }

  private static Proto tensor(String name, Random rnd, long... dims) {
    long n = 1;
    Proto t = new Proto();
    for (long d : dims) {
      t.varint(1, d);
      n *= d;
    }
    float[] v = new float[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (rnd.nextGaussian() * 0.1);
    }
    return t.varint(2, OnnxWeights.FLOAT).string(8, name).bytes(9, OnnxWeightsTest.floatsLe(v));
  }

  private static Proto node(String name, String op, String... inputs) {
    Proto n = new Proto();
    for (String in : inputs) {
      n.string(1, in);
    }
    return n.string(2, name + ":out").string(3, name).string(4, op);
  }

  private static Proto constant(String output, float value) {
    Proto t = new Proto().varint(2, OnnxWeights.FLOAT).bytes(9, OnnxWeightsTest.floatsLe(value));
    return new Proto()
        .string(2, output)
        .string(3, "/" + output)
        .string(4, "Constant")
        .message(5, new Proto().string(1, "value").message(5, t));
  }

  /** A WordPiece tokenizer.json over {@link #VOCAB} ids (specials 0..3, then plain words). */
  static String tokenizer() {
    StringBuilder vocab = new StringBuilder();
    StringBuilder added = new StringBuilder();
    for (int i = 0; i < VOCAB; i++) {
      String tok = i < SPECIAL.length ? SPECIAL[i] : "w" + i;
      vocab.append(i == 0 ? "" : ",").append('"').append(tok).append("\":").append(i);
      if (i < SPECIAL.length) {
        added
            .append(i == 0 ? "" : ",")
            .append("{\"id\":")
            .append(i)
            .append(",\"content\":\"")
            .append(tok)
            .append(
                "\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,"
                    + "\"normalized\":false,\"special\":true}");
      }
    }
    return "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":["
        + added
        + "],\"normalizer\":{\"type\":\"Lowercase\"},\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
        + "\"post_processor\":null,\"decoder\":{\"type\":\"WordPiece\",\"prefix\":\"##\","
        + "\"cleanup\":true},\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\","
        + "\"continuing_subword_prefix\":\"##\",\"max_input_chars_per_word\":100,\"vocab\":{"
        + vocab
        + "}}}";
  }
}
