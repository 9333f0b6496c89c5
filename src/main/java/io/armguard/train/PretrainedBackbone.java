package io.armguard.train;

import ai.djl.ndarray.NDManager;
import io.armguard.model.Backbone;
import io.armguard.model.ModelDirectory;
import io.armguard.model.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Starting a model from a pretrained backbone directory (a GPT-2 LM or an imported BERT-family
 * encoder): the whole directory is loaded into a scratch manager, the caller copies what it keeps
 * (embeddings, the lowest blocks) into its own manager, and the rest is freed.
 */
final class PretrainedBackbone {
  private PretrainedBackbone() {}

  /** Builds a model from the pretrained backbone and its tokenizer. */
  @FunctionalInterface
  interface Copy<T> {
    /**
     * @param pretrained the loaded backbone, valid only during this call: copy what is kept
     * @param tokenizer the directory's tokenizer, owned by the result from now on
     */
    T from(Backbone pretrained, TextTokenizer tokenizer) throws IOException;
  }

  /**
   * Loads {@code dir}, hands its backbone and a fresh tokenizer to {@code copy}, frees the rest.
   */
  static <T> T copyFrom(Path dir, NDManager root, Copy<T> copy) throws IOException {
    try (NDManager scratch = root.newSubManager()) {
      ModelDirectory.Loaded base = ModelDirectory.load(dir, scratch);
      TextTokenizer tokenizer = TextTokenizer.load(dir.resolve(ModelDirectory.TOKENIZER));
      try {
        return copy.from(base.backbone(), tokenizer);
      } finally {
        if (base.tokenizer() != null) {
          base.tokenizer().close();
        }
      }
    }
  }
}
