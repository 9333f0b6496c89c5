package io.armguard.model;

import static io.armguard.model.ConfigJson.bool;
import static io.armguard.model.ConfigJson.integer;
import static io.armguard.model.ConfigJson.str;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Shape and hyper-parameters of a BERT-family encoder (BERT, MiniLM, BGE, E5), read from and
 * written to a Hugging Face {@code config.json} with {@code BertConfig}'s key names.
 *
 * <p>{@code is_decoder} is HF's own switch between the two attention modes: false is the encoder as
 * pretrained ({@link AttentionMode#BIDIRECTIONAL}); true makes {@code BertModel} causal, which is
 * how armguard stores BERT-based reward models and LMs ({@link AttentionMode#CAUSAL}).
 *
 * @param vocabSize rows of {@code embeddings.word_embeddings}
 * @param hiddenSize d
 * @param layers {@code num_hidden_layers}
 * @param heads {@code num_attention_heads}; must divide d
 * @param intermediateSize FFN width
 * @param maxPositions rows of {@code embeddings.position_embeddings}
 * @param typeVocabSize rows of {@code embeddings.token_type_embeddings}
 * @param layerNormEps epsilon of every LayerNorm (BERT: 1e-12)
 * @param hiddenAct FFN activation, one of {@link ActivationFunction}'s names (BERT: exact {@code
 *     gelu})
 * @param padTokenId {@code [PAD]}
 * @param bosTokenId id placed before a text ({@code [CLS]})
 * @param eosTokenId id that ends a text ({@code [SEP]})
 * @param isDecoder causal attention when true
 */
public record BertConfig(
    int vocabSize,
    int hiddenSize,
    int layers,
    int heads,
    int intermediateSize,
    int maxPositions,
    int typeVocabSize,
    float layerNormEps,
    String hiddenAct,
    int padTokenId,
    int bosTokenId,
    int eosTokenId,
    boolean isDecoder)
    implements BackboneConfig {

  public BertConfig {
    if (vocabSize < 1
        || hiddenSize < 1
        || layers < 1
        || heads < 1
        || intermediateSize < 1
        || maxPositions < 1
        || typeVocabSize < 1) {
      throw new IllegalArgumentException("all sizes must be >= 1: " + this);
    }
    if (hiddenSize % heads != 0) {
      throw new IllegalArgumentException(
          "hidden_size " + hiddenSize + " not divisible by num_attention_heads " + heads);
    }
    ActivationFunction.of(hiddenAct);
    for (int id : new int[] {padTokenId, bosTokenId, eosTokenId}) {
      if (id < 0 || id >= vocabSize) {
        throw new IllegalArgumentException("pad/bos/eos ids must be in [0, vocab_size): " + this);
      }
    }
  }

  /**
   * A BERT config with BERT's defaults (gelu, eps 1e-12, 512 positions, 2 token types, FFN 4 d,
   * bidirectional) and the uncased WordPiece special ids ([PAD] 0, [CLS] 101, [SEP] 102) when the
   * vocabulary is large enough, else 0, 1, 2.
   */
  public static BertConfig of(int vocabSize, int hiddenSize, int layers, int heads) {
    boolean wordPiece = vocabSize > 102;
    return new BertConfig(
        vocabSize,
        hiddenSize,
        layers,
        heads,
        4 * hiddenSize,
        512,
        2,
        1e-12f,
        "gelu",
        0,
        wordPiece ? 101 : 1,
        wordPiece ? 102 : 2,
        false);
  }

  @Override
  public String modelType() {
    return "bert";
  }

  @Override
  public int layerCount() {
    return layers;
  }

  @Override
  public int headCount() {
    return heads;
  }

  /** Size of each attention head. */
  public int headDim() {
    return hiddenSize / heads;
  }

  /** The mode {@link BertBackbone#hidden} runs in. */
  public AttentionMode attentionMode() {
    return isDecoder ? AttentionMode.CAUSAL : AttentionMode.BIDIRECTIONAL;
  }

  /** This config in another attention mode ({@code is_decoder}). */
  public BertConfig withAttention(AttentionMode mode) {
    return new BertConfig(
        vocabSize,
        hiddenSize,
        layers,
        heads,
        intermediateSize,
        maxPositions,
        typeVocabSize,
        layerNormEps,
        hiddenAct,
        padTokenId,
        bosTokenId,
        eosTokenId,
        mode == AttentionMode.CAUSAL);
  }

  @Override
  public BertConfig asCausal() {
    return withAttention(AttentionMode.CAUSAL);
  }

  @Override
  public BertConfig withLayers(int n) {
    return new BertConfig(
        vocabSize,
        hiddenSize,
        n,
        heads,
        intermediateSize,
        maxPositions,
        typeVocabSize,
        layerNormEps,
        hiddenAct,
        padTokenId,
        bosTokenId,
        eosTokenId,
        isDecoder);
  }

  /**
   * Reads a BERT {@code config.json}. Missing optional keys take BERT's defaults; {@code [CLS]} and
   * {@code [SEP]} default to 101 and 102 (uncased WordPiece) when bos/eos ids are absent. Options
   * this implementation does not support (relative position embeddings, cross-attention) are
   * rejected rather than ignored.
   */
  public static BertConfig read(Path configJson) throws IOException {
    JsonObject o = ConfigJson.read(configJson, "bert", "");
    String positions = str(o, "position_embedding_type", "absolute");
    if (!positions.equals("absolute")) {
      throw new IOException(
          configJson + ": position_embedding_type '" + positions + "' is not supported");
    }
    if (bool(o, "add_cross_attention", false)) {
      throw new IOException(configJson + ": add_cross_attention is not supported");
    }
    int vocab = integer(o, "vocab_size", 30522);
    int d = integer(o, "hidden_size", 768);
    try {
      return new BertConfig(
          vocab,
          d,
          integer(o, "num_hidden_layers", 12),
          integer(o, "num_attention_heads", 12),
          integer(o, "intermediate_size", 4 * d),
          integer(o, "max_position_embeddings", 512),
          integer(o, "type_vocab_size", 2),
          o.has("layer_norm_eps") ? o.get("layer_norm_eps").getAsFloat() : 1e-12f,
          str(o, "hidden_act", "gelu"),
          integer(o, "pad_token_id", 0),
          integer(o, "bos_token_id", Math.min(101, vocab - 1)),
          integer(o, "eos_token_id", Math.min(102, vocab - 1)),
          bool(o, "is_decoder", false));
    } catch (IllegalArgumentException e) {
      throw new IOException(configJson + ": " + e.getMessage(), e);
    }
  }

  /** Writes this config as a BERT {@code config.json} that Hugging Face transformers can read. */
  @Override
  public void write(Path configJson) throws IOException {
    JsonObject o = new JsonObject();
    JsonArray arch = new JsonArray();
    arch.add(isDecoder ? "BertLMHeadModel" : "BertModel");
    o.add("architectures", arch);
    o.addProperty("model_type", "bert");
    o.addProperty("vocab_size", vocabSize);
    o.addProperty("hidden_size", hiddenSize);
    o.addProperty("num_hidden_layers", layers);
    o.addProperty("num_attention_heads", heads);
    o.addProperty("intermediate_size", intermediateSize);
    o.addProperty("max_position_embeddings", maxPositions);
    o.addProperty("type_vocab_size", typeVocabSize);
    o.addProperty("layer_norm_eps", layerNormEps);
    o.addProperty("hidden_act", hiddenAct);
    o.addProperty("position_embedding_type", "absolute");
    o.addProperty("pad_token_id", padTokenId);
    o.addProperty("bos_token_id", bosTokenId);
    o.addProperty("eos_token_id", eosTokenId);
    o.addProperty("is_decoder", isDecoder);
    o.addProperty("tie_word_embeddings", true);
    // armguard trains without dropout; HF would apply these in train mode only
    o.addProperty("hidden_dropout_prob", 0.0);
    o.addProperty("attention_probs_dropout_prob", 0.0);
    o.addProperty("initializer_range", 0.02);
    o.addProperty("torch_dtype", "float32");
    ConfigJson.write(o, configJson);
  }
}
