package io.armguard.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;

/**
 * The GPT-2 transformer (token + position embeddings, pre-LayerNorm blocks with causal
 * self-attention and a GELU MLP, final layer norm) as one DJL block.
 *
 * <p>Parameter names are exactly GPT-2's ({@code wte.weight}, {@code h.0.attn.c_attn.weight}, ...,
 * {@code ln_f.bias}) and Conv1D weights are stored like GPT-2's, {@code [in, out]}, so a Hugging
 * Face checkpoint maps 1:1. Parameters are ordinary DJL parameters: train them with a {@code
 * GradientCollector}. Call {@code initialize(manager, DataType.FLOAT32)} before use (GPT-2's init:
 * N(0, 0.02), residual projections scaled by 1/sqrt(2 n_layer)).
 *
 * <p>Thread-safety: the weights are read-only during inference and can be shared between threads;
 * each thread brings its own arrays, managers and {@link KvCache}.
 */
public final class GptBackbone extends TransformerBackbone {

  /** Name of the token embedding. */
  public static final String TOKEN_EMBEDDING = "wte.weight";

  private final GptConfig config;
  private final ActivationFunction activation;
  private final Parameter wte;
  private final Parameter wpe;
  private final Layer[] layers;
  private final Parameter lnFWeight;
  private final Parameter lnFBias;

  /** The parameters of one transformer block. */
  private record Layer(
      Parameter ln1W,
      Parameter ln1B,
      Parameter attnW,
      Parameter attnB,
      Parameter attnProjW,
      Parameter attnProjB,
      Parameter ln2W,
      Parameter ln2B,
      Parameter fcW,
      Parameter fcB,
      Parameter mlpProjW,
      Parameter mlpProjB) {}

  public GptBackbone(GptConfig config) {
    super(config.layerNormEpsilon());
    this.config = config;
    this.activation = ActivationFunction.of(config.activationFunction());
    int d = config.nEmbd();
    NormalInitializer normal = new NormalInitializer(0.02f);
    NormalInitializer residual =
        new NormalInitializer((float) (0.02 / Math.sqrt(2.0 * config.nLayer())));
    wte = param(TOKEN_EMBEDDING, new Shape(config.vocabSize(), d), normal);
    wpe = param("wpe.weight", new Shape(config.nPositions(), d), new NormalInitializer(0.01f));
    layers = new Layer[config.nLayer()];
    for (int i = 0; i < layers.length; i++) {
      String p = "h." + i + ".";
      layers[i] =
          new Layer(
              param(p + "ln_1.weight", new Shape(d), new ConstantInitializer(1f)),
              param(p + "ln_1.bias", new Shape(d), new ConstantInitializer(0f)),
              param(p + "attn.c_attn.weight", new Shape(d, 3L * d), normal),
              param(p + "attn.c_attn.bias", new Shape(3L * d), new ConstantInitializer(0f)),
              param(p + "attn.c_proj.weight", new Shape(d, d), residual),
              param(p + "attn.c_proj.bias", new Shape(d), new ConstantInitializer(0f)),
              param(p + "ln_2.weight", new Shape(d), new ConstantInitializer(1f)),
              param(p + "ln_2.bias", new Shape(d), new ConstantInitializer(0f)),
              param(p + "mlp.c_fc.weight", new Shape(d, 4L * d), normal),
              param(p + "mlp.c_fc.bias", new Shape(4L * d), new ConstantInitializer(0f)),
              param(p + "mlp.c_proj.weight", new Shape(4L * d, d), residual),
              param(p + "mlp.c_proj.bias", new Shape(d), new ConstantInitializer(0f)));
    }
    lnFWeight = param("ln_f.weight", new Shape(d), new ConstantInitializer(1f));
    lnFBias = param("ln_f.bias", new Shape(d), new ConstantInitializer(0f));
  }

  /**
   * A new backbone with GPT-2's random initialisation in {@code manager}, reproducible for a seed
   * (the seed is libtorch's global generator's: do not initialise concurrently).
   */
  public static GptBackbone randomlyInitialized(GptConfig config, NDManager manager, int seed) {
    return initialized(new GptBackbone(config), manager, seed);
  }

  @Override
  public GptConfig config() {
    return config;
  }

  /** Always {@link AttentionMode#CAUSAL}. */
  @Override
  public AttentionMode attentionMode() {
    return AttentionMode.CAUSAL;
  }

  /** The token embedding {@code wte} [V, d], shared with the tied LM head. Do not close it. */
  @Override
  public NDArray tokenEmbedding() {
    return wte.getArray();
  }

  @Override
  public String tokenEmbeddingName() {
    return TOKEN_EMBEDDING;
  }

  @Override
  public int layerOf(String parameterName) {
    if (parameterName.startsWith("wte.") || parameterName.startsWith("wpe.")) {
      return -1;
    }
    if (parameterName.startsWith("ln_f.")) {
      return config.nLayer();
    }
    if (parameterName.startsWith("h.") && namedParameters().containsKey(parameterName)) {
      return Integer.parseInt(parameterName.substring(2, parameterName.indexOf('.', 2)));
    }
    throw new IllegalArgumentException("not a GPT-2 backbone parameter: " + parameterName);
  }

  /** See {@link Backbone#hidden}; the result is after {@code ln_f}. */
  @Override
  public NDArray hidden(
      NDArray inputIds,
      NDArray positionIds,
      NDArray attentionMask,
      KvCache cache,
      boolean training) {
    return forward(
        inputIds,
        attentionMask,
        cache,
        true,
        training,
        scope -> embed(inputIds, wte, scope).add(embed(positionIds, wpe, scope)));
  }

  @Override
  NDArray block(int i, NDArray x, NDArray bias, KvCache cache, long b, long t) {
    Layer l = layers[i];
    NDArray a = layerNorm(x, l.ln1W, l.ln1B);
    NDArray qkv = a.matMul(l.attnW.getArray()).add(l.attnB.getArray());
    NDList parts = qkv.split(3, 2);
    NDArray attn = attention(i, parts.get(0), parts.get(1), parts.get(2), bias, cache, b, t);
    x = x.add(attn.matMul(l.attnProjW.getArray()).add(l.attnProjB.getArray()));
    NDArray m = layerNorm(x, l.ln2W, l.ln2B);
    m = activation.apply(m.matMul(l.fcW.getArray()).add(l.fcB.getArray()));
    return x.add(m.matMul(l.mlpProjW.getArray()).add(l.mlpProjB.getArray()));
  }

  /** GPT-2's final layer norm, {@code ln_f}. */
  @Override
  NDArray afterBlocks(NDArray x) {
    return layerNorm(x, lnFWeight, lnFBias);
  }
}
