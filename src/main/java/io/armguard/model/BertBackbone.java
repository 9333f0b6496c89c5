package io.armguard.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import java.util.List;

/**
 * A BERT-family encoder (BERT, MiniLM, BGE, E5) as one DJL block, exactly Hugging Face's {@code
 * BertModel} without the pooler: word + learned position + token-type embeddings, embedding
 * LayerNorm, then post-LayerNorm blocks (self-attention, residual, LayerNorm; FFN with the config's
 * activation, exact GELU for BERT; residual, LayerNorm). No final LayerNorm: the last block's
 * output is the hidden state.
 *
 * <p>Parameter names are {@code BertModel}'s ({@code embeddings.word_embeddings.weight}, {@code
 * encoder.layer.3.attention.self.query.weight}, ...) and Linear weights are PyTorch's {@code [out,
 * in]}, so a Hugging Face checkpoint maps 1:1 (see {@link #PARAMETER_SUFFIXES}).
 *
 * <p>Attention mode: {@link #hidden} follows the config's {@code is_decoder} ({@link
 * BertConfig#attentionMode()}); {@link #encode} is always bidirectional, as the encoder was
 * pretrained. Causal mode supports a {@link KvCache} and left padding like {@link GptBackbone};
 * bidirectional mode takes no cache.
 *
 * <p>Thread-safety as {@link Backbone}.
 */
public final class BertBackbone extends TransformerBackbone {

  /** Name of the token embedding. */
  public static final String TOKEN_EMBEDDING = "embeddings.word_embeddings.weight";

  /**
   * The tensor names of one encoder layer, after {@code encoder.layer.<i>.}, in checkpoint order.
   */
  public static final List<String> PARAMETER_SUFFIXES =
      List.of(
          "attention.self.query.weight",
          "attention.self.query.bias",
          "attention.self.key.weight",
          "attention.self.key.bias",
          "attention.self.value.weight",
          "attention.self.value.bias",
          "attention.output.dense.weight",
          "attention.output.dense.bias",
          "attention.output.LayerNorm.weight",
          "attention.output.LayerNorm.bias",
          "intermediate.dense.weight",
          "intermediate.dense.bias",
          "output.dense.weight",
          "output.dense.bias",
          "output.LayerNorm.weight",
          "output.LayerNorm.bias");

  private final BertConfig config;
  private final ActivationFunction activation;
  private final Parameter wordEmbeddings;
  private final Parameter positionEmbeddings;
  private final Parameter tokenTypeEmbeddings;
  private final Parameter embLnW;
  private final Parameter embLnB;
  private final Layer[] layers;

  /** The parameters of one encoder layer. */
  private record Layer(
      Parameter qW,
      Parameter qB,
      Parameter kW,
      Parameter kB,
      Parameter vW,
      Parameter vB,
      Parameter attnOutW,
      Parameter attnOutB,
      Parameter attnLnW,
      Parameter attnLnB,
      Parameter interW,
      Parameter interB,
      Parameter outW,
      Parameter outB,
      Parameter outLnW,
      Parameter outLnB) {}

  public BertBackbone(BertConfig config) {
    super(config.layerNormEps());
    this.config = config;
    this.activation = ActivationFunction.of(config.hiddenAct());
    int d = config.hiddenSize();
    int ffn = config.intermediateSize();
    NormalInitializer normal = new NormalInitializer(0.02f);
    wordEmbeddings = param(TOKEN_EMBEDDING, new Shape(config.vocabSize(), d), normal);
    positionEmbeddings =
        param("embeddings.position_embeddings.weight", new Shape(config.maxPositions(), d), normal);
    tokenTypeEmbeddings =
        param(
            "embeddings.token_type_embeddings.weight",
            new Shape(config.typeVocabSize(), d),
            normal);
    embLnW = param("embeddings.LayerNorm.weight", new Shape(d), new ConstantInitializer(1f));
    embLnB = param("embeddings.LayerNorm.bias", new Shape(d), new ConstantInitializer(0f));
    layers = new Layer[config.layers()];
    for (int i = 0; i < layers.length; i++) {
      String p = "encoder.layer." + i + ".";
      Parameter[] ps = new Parameter[PARAMETER_SUFFIXES.size()];
      for (int j = 0; j < ps.length; j++) {
        String suffix = PARAMETER_SUFFIXES.get(j);
        ps[j] = param(p + suffix, shapeOf(suffix, d, ffn), initOf(suffix, normal));
      }
      layers[i] =
          new Layer(
              ps[0], ps[1], ps[2], ps[3], ps[4], ps[5], ps[6], ps[7], ps[8], ps[9], ps[10], ps[11],
              ps[12], ps[13], ps[14], ps[15]);
    }
  }

  /** The PyTorch shape of a layer tensor ({@code [out, in]} for Linear weights). */
  private static Shape shapeOf(String suffix, int d, int ffn) {
    return switch (suffix) {
      case "intermediate.dense.weight" -> new Shape(ffn, d);
      case "intermediate.dense.bias" -> new Shape(ffn);
      case "output.dense.weight" -> new Shape(d, ffn);
      default ->
          suffix.endsWith("dense.weight")
                  || suffix.startsWith("attention.self.") && suffix.endsWith(".weight")
              ? new Shape(d, d)
              : new Shape(d);
    };
  }

  /** HF's BERT init: N(0, 0.02) weights, zero biases, LayerNorm 1 / 0. */
  private static Initializer initOf(String suffix, Initializer normal) {
    if (suffix.contains("LayerNorm")) {
      return new ConstantInitializer(suffix.endsWith("weight") ? 1f : 0f);
    }
    return suffix.endsWith("bias") ? new ConstantInitializer(0f) : normal;
  }

  /**
   * A new backbone with BERT's random initialisation in {@code manager}, reproducible for a seed
   * (libtorch's global generator: do not initialise concurrently).
   */
  public static BertBackbone randomlyInitialized(BertConfig config, NDManager manager, int seed) {
    return initialized(new BertBackbone(config), manager, seed);
  }

  @Override
  public BertConfig config() {
    return config;
  }

  @Override
  public AttentionMode attentionMode() {
    return config.attentionMode();
  }

  @Override
  public NDArray tokenEmbedding() {
    return wordEmbeddings.getArray();
  }

  @Override
  public String tokenEmbeddingName() {
    return TOKEN_EMBEDDING;
  }

  @Override
  public int layerOf(String parameterName) {
    if (!namedParameters().containsKey(parameterName)) {
      throw new IllegalArgumentException("not a BERT backbone parameter: " + parameterName);
    }
    if (parameterName.startsWith("embeddings.")) {
      return -1;
    }
    String rest = parameterName.substring("encoder.layer.".length());
    return Integer.parseInt(rest.substring(0, rest.indexOf('.')));
  }

  /**
   * See {@link Backbone#hidden}: in the config's attention mode, token type 0 everywhere.
   *
   * @throws IllegalStateException for a cache in bidirectional mode (every position would have to
   *     be recomputed when a token is added)
   */
  @Override
  public NDArray hidden(
      NDArray inputIds,
      NDArray positionIds,
      NDArray attentionMask,
      KvCache cache,
      boolean training) {
    boolean causal = config.isDecoder();
    if (cache != null && !causal) {
      throw new IllegalStateException(
          "a KV cache needs causal attention (is_decoder: true); this BERT is bidirectional");
    }
    return run(inputIds, positionIds, null, attentionMask, cache, causal, training);
  }

  /**
   * The encoder exactly as pretrained and exported: bidirectional attention over the real tokens,
   * positions 0..T-1 (as {@code BertModel} without explicit position ids, so pad on the right),
   * whatever the config's {@code is_decoder}.
   *
   * @param inputIds int64 [B, T]
   * @param tokenTypeIds int64 [B, T], or null for all 0
   * @param attentionMask int64 [B, T], 1 = real token
   * @return last hidden states [B, T, d] in {@code inputIds}' manager
   */
  public NDArray encode(
      NDArray inputIds, NDArray tokenTypeIds, NDArray attentionMask, boolean training) {
    long b = inputIds.getShape().get(0);
    long t = inputIds.getShape().get(1);
    NDManager m = inputIds.getManager();
    NDArray pos = m.arange(0L, t, 1L, DataType.INT64).reshape(1, t).repeat(0, b);
    return run(inputIds, pos, tokenTypeIds, attentionMask, null, false, training);
  }

  /** The forward pass with BERT's embeddings: word + position + token type, then LayerNorm. */
  private NDArray run(
      NDArray inputIds,
      NDArray positionIds,
      NDArray tokenTypeIds,
      NDArray attentionMask,
      KvCache cache,
      boolean causal,
      boolean training) {
    return forward(
        inputIds,
        attentionMask,
        cache,
        causal,
        training,
        scope -> {
          NDArray x = embed(inputIds, wordEmbeddings, scope);
          x = x.add(embed(positionIds, positionEmbeddings, scope));
          if (tokenTypeIds == null) {
            // token type 0 for every position: one row of the table, broadcast
            NDArray row = own(tokenTypeEmbeddings.getArray().get(0), scope);
            x = x.add(row);
          } else {
            x = x.add(embed(tokenTypeIds, tokenTypeEmbeddings, scope));
          }
          return layerNorm(x, embLnW, embLnB);
        });
  }

  @Override
  NDArray block(int i, NDArray x, NDArray bias, KvCache cache, long b, long t) {
    Layer l = layers[i];
    NDArray ctx =
        attention(
            i,
            linear(x, l.qW, l.qB),
            linear(x, l.kW, l.kB),
            linear(x, l.vW, l.vB),
            bias,
            cache,
            b,
            t);
    x = layerNorm(x.add(linear(ctx, l.attnOutW, l.attnOutB)), l.attnLnW, l.attnLnB);
    NDArray m = activation.apply(linear(x, l.interW, l.interB));
    return layerNorm(x.add(linear(m, l.outW, l.outB)), l.outLnW, l.outLnB);
  }

  private static NDArray linear(NDArray x, Parameter w, Parameter bias) {
    return Linear.linear(x, w.getArray(), bias.getArray()).head();
  }
}
