package io.armguard.train;

import ai.djl.ndarray.NDManager;
import io.armguard.model.GptBackbone;
import io.armguard.model.GptConfig;
import io.armguard.model.TextTokenizer;
import java.io.IOException;

/**
 * The shape of a GPT-2 backbone trained from scratch ({@code train lm}, or a reward model with
 * {@code --init-from none}): blocks, width, heads, context, and GPT-2's byte-level BPE cut to its
 * first {@code merges} merges. Built through a trainer's builder ({@link Builder}).
 *
 * @param layers transformer blocks (also kept from a pretrained backbone when a trainer starts from
 *     one)
 */
record GptShape(int layers, int dModel, int heads, int context, int merges) {

  /** GPT-2's tokenizer cut to {@code merges} merges. */
  TextTokenizer tokenizer() throws IOException {
    return TextTokenizer.gpt2(merges);
  }

  /** A randomly initialised backbone of this shape over {@code tokenizer}'s vocabulary. */
  GptBackbone randomBackbone(TextTokenizer tokenizer, NDManager manager, long seed) {
    GptConfig config =
        GptConfig.of(tokenizer.vocabSize(), context, dModel, layers, heads)
            .withSpecialIds(tokenizer.bosId(), tokenizer.eosId());
    return GptBackbone.randomlyInitialized(config, manager, (int) seed);
  }

  /**
   * The shape's setters, shared by the builders of the trainers that can start from scratch;
   * defaults: 192 wide, 4 heads, 128 tokens of context, 8,000 merges (the layer count is the
   * trainer's).
   */
  abstract static class Builder<B extends Builder<B>> extends RunSettings.Builder<B> {
    private int layers;
    private int dModel = 192;
    private int heads = 4;
    private int context = 128;
    private int merges = 8000;

    Builder(int layers) {
      this.layers = layers;
    }

    /** Transformer blocks (from scratch, or the lowest ones kept of a pretrained backbone). */
    public B layers(int v) {
      layers = v;
      return self();
    }

    /** Hidden size of a backbone from scratch. */
    public B dModel(int v) {
      dModel = v;
      return self();
    }

    /** Attention heads of a backbone from scratch. */
    public B heads(int v) {
      heads = v;
      return self();
    }

    /** Context length of a backbone from scratch ({@code train lm}: also the training window). */
    public B context(int v) {
      context = v;
      return self();
    }

    /** GPT-2 BPE merges kept; vocabulary = 257 + merges. */
    public B merges(int v) {
      merges = v;
      return self();
    }

    GptShape shape() {
      return new GptShape(layers, dModel, heads, context, merges);
    }
  }
}
