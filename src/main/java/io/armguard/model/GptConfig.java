package io.armguard.model;

import static io.armguard.model.ConfigJson.bool;
import static io.armguard.model.ConfigJson.integer;
import static io.armguard.model.ConfigJson.str;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Shape and hyper-parameters of a GPT-2-architecture causal LM, read from and written to a Hugging
 * Face {@code config.json} with GPT-2's key names.
 *
 * @param vocabSize number of token ids (rows of {@code wte})
 * @param nPositions context size (rows of {@code wpe})
 * @param nEmbd hidden size d
 * @param nLayer number of transformer blocks
 * @param nHead attention heads; must divide nEmbd
 * @param activationFunction MLP activation, one of {@link ActivationFunction}'s names ({@code
 *     gelu_new} = GPT-2's tanh form)
 * @param layerNormEpsilon epsilon of every layer norm
 * @param bosTokenId id that starts a text (GPT-2: {@code <|endoftext|>})
 * @param eosTokenId id that ends a text (GPT-2: {@code <|endoftext|>})
 */
public record GptConfig(
    int vocabSize,
    int nPositions,
    int nEmbd,
    int nLayer,
    int nHead,
    String activationFunction,
    float layerNormEpsilon,
    int bosTokenId,
    int eosTokenId)
    implements BackboneConfig {

  public GptConfig {
    if (vocabSize < 1 || nPositions < 1 || nEmbd < 1 || nLayer < 1 || nHead < 1) {
      throw new IllegalArgumentException("all sizes must be >= 1: " + this);
    }
    if (nEmbd % nHead != 0) {
      throw new IllegalArgumentException("n_embd " + nEmbd + " not divisible by n_head " + nHead);
    }
    ActivationFunction.of(activationFunction); // validates the name
    if (bosTokenId < 0 || bosTokenId >= vocabSize || eosTokenId < 0 || eosTokenId >= vocabSize) {
      throw new IllegalArgumentException("bos/eos ids must be in [0, vocab_size): " + this);
    }
  }

  /** A GPT-2-style config with GPT-2's defaults (gelu_new, eps 1e-5, bos = eos = last id). */
  public static GptConfig of(int vocabSize, int nPositions, int nEmbd, int nLayer, int nHead) {
    return new GptConfig(
        vocabSize,
        nPositions,
        nEmbd,
        nLayer,
        nHead,
        "gelu_new",
        1e-5f,
        vocabSize - 1,
        vocabSize - 1);
  }

  @Override
  public String modelType() {
    return "gpt2";
  }

  @Override
  public int maxPositions() {
    return nPositions;
  }

  @Override
  public int hiddenSize() {
    return nEmbd;
  }

  @Override
  public int layerCount() {
    return nLayer;
  }

  @Override
  public int headCount() {
    return nHead;
  }

  @Override
  public GptConfig withLayers(int layers) {
    return new GptConfig(
        vocabSize,
        nPositions,
        nEmbd,
        layers,
        nHead,
        activationFunction,
        layerNormEpsilon,
        bosTokenId,
        eosTokenId);
  }

  /**
   * This config with the given start and end ids (a tokenizer's own, e.g. WordPiece's [CLS] and
   * [SEP]); GPT-2's BPE has one id for both.
   */
  public GptConfig withSpecialIds(int bos, int eos) {
    return new GptConfig(
        vocabSize,
        nPositions,
        nEmbd,
        nLayer,
        nHead,
        activationFunction,
        layerNormEpsilon,
        bos,
        eos);
  }

  /** GPT-2 is always causal: this config. */
  @Override
  public GptConfig asCausal() {
    return this;
  }

  /** Size of each attention head. */
  public int headDim() {
    return nEmbd / nHead;
  }

  /** This config with another activation function. */
  public GptConfig withActivation(String name) {
    return new GptConfig(
        vocabSize,
        nPositions,
        nEmbd,
        nLayer,
        nHead,
        name,
        layerNormEpsilon,
        bosTokenId,
        eosTokenId);
  }

  /**
   * Reads a GPT-2 {@code config.json}. Missing optional keys take GPT-2's defaults; options this
   * implementation does not support (a non-default {@code n_inner}, attention scaling variants) are
   * rejected rather than silently ignored.
   */
  public static GptConfig read(Path configJson) throws IOException {
    JsonObject o = ConfigJson.read(configJson, "gpt2", "gpt2");
    int vocab = integer(o, "vocab_size", 50257);
    int nEmbd = integer(o, "n_embd", 768);
    int nInner = integer(o, "n_inner", 0);
    if (nInner != 0 && nInner != 4 * nEmbd) {
      throw new IOException(configJson + ": n_inner " + nInner + " != 4 * n_embd is not supported");
    }
    if (bool(o, "scale_attn_by_inverse_layer_idx", false)
        || bool(o, "reorder_and_upcast_attn", false)
        || !bool(o, "scale_attn_weights", true)) {
      throw new IOException(configJson + ": non-default GPT-2 attention scaling is not supported");
    }
    return new GptConfig(
        vocab,
        integer(o, "n_positions", integer(o, "n_ctx", 1024)),
        nEmbd,
        integer(o, "n_layer", 12),
        integer(o, "n_head", 12),
        str(o, "activation_function", "gelu_new"),
        o.has("layer_norm_epsilon") ? o.get("layer_norm_epsilon").getAsFloat() : 1e-5f,
        integer(o, "bos_token_id", vocab - 1),
        integer(o, "eos_token_id", vocab - 1));
  }

  /** Writes this config as a GPT-2 {@code config.json} that Hugging Face transformers can read. */
  @Override
  public void write(Path configJson) throws IOException {
    JsonObject o = new JsonObject();
    JsonArray arch = new JsonArray();
    arch.add("GPT2LMHeadModel");
    o.add("architectures", arch);
    o.addProperty("model_type", "gpt2");
    o.addProperty("vocab_size", vocabSize);
    o.addProperty("n_positions", nPositions);
    o.addProperty("n_ctx", nPositions);
    o.addProperty("n_embd", nEmbd);
    o.addProperty("n_layer", nLayer);
    o.addProperty("n_head", nHead);
    o.add("n_inner", com.google.gson.JsonNull.INSTANCE);
    o.addProperty("activation_function", activationFunction);
    o.addProperty("layer_norm_epsilon", layerNormEpsilon);
    o.addProperty("bos_token_id", bosTokenId);
    o.addProperty("eos_token_id", eosTokenId);
    o.addProperty("tie_word_embeddings", true);
    // armguard trains without dropout; HF would apply these in train mode only
    o.addProperty("resid_pdrop", 0.0);
    o.addProperty("embd_pdrop", 0.0);
    o.addProperty("attn_pdrop", 0.0);
    o.addProperty("initializer_range", 0.02);
    o.addProperty("torch_dtype", "float32");
    ConfigJson.write(o, configJson);
  }
}
