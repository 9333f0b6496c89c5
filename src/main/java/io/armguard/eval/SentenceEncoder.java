package io.armguard.eval;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * all-MiniLM-L6-v2 (int8-quantised ONNX, shipped inside the langchain4j Maven artifact) sentence
 * embeddings: 384-d, mean-pooled and L2-normalised, computed offline with onnxruntime. A model
 * family and training corpus unrelated to armguard's reward models, which is what makes the
 * evaluator independent. Thread-safe; load once (about 1 s).
 */
public final class SentenceEncoder {
  /** Identifies the encoder in model cards and evaluator.json. */
  public static final String ID = "all-MiniLM-L6-v2-q (dev.langchain4j 1.20.0-beta30, ONNX int8)";

  private static final int BATCH = 64;
  private final AllMiniLmL6V2QuantizedEmbeddingModel model =
      new AllMiniLmL6V2QuantizedEmbeddingModel();

  public int dimension() {
    return model.dimension();
  }

  /** Embeds the texts in order; {@code progress} receives the number of texts done per batch. */
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
