package io.armguard.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;

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
public final class GptBackbone extends AbstractBlock implements Backbone {

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

  private Parameter param(String name, Shape shape, ai.djl.training.initializer.Initializer init) {
    return addParameter(
        Parameter.builder()
            .setName(name)
            .setType(Parameter.Type.OTHER)
            .optShape(shape)
            .optInitializer(init)
            .build());
  }

  /**
   * A new backbone with GPT-2's random initialisation in {@code manager}, reproducible for a seed
   * (the seed is libtorch's global generator's: do not initialise concurrently).
   */
  public static GptBackbone randomlyInitialized(GptConfig config, NDManager manager, int seed) {
    ai.djl.engine.Engine.getInstance().setRandomSeed(seed);
    GptBackbone b = new GptBackbone(config);
    b.initialize(manager, DataType.FLOAT32);
    return b;
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

  /** Parameters by GPT-2 name ({@code wte.weight}, ...), in GPT-2's order. */
  @Override
  public Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    for (var pair : getDirectParameters()) {
      out.put(pair.getKey(), pair.getValue());
    }
    return out;
  }

  /** See {@link Backbone#hidden}; the result is after {@code ln_f}. */
  @Override
  public NDArray hidden(
      NDArray inputIds,
      NDArray positionIds,
      NDArray attentionMask,
      KvCache cache,
      boolean training) {
    NDManager out = inputIds.getManager();
    NDManager scope = training ? out : out.newSubManager();
    try {
      long b = inputIds.getShape().get(0);
      long t = inputIds.getShape().get(1);
      int past = cache == null ? 0 : cache.length();
      if (attentionMask.getShape().get(1) != past + t) {
        throw new IllegalArgumentException(
            "attention mask has "
                + attentionMask.getShape().get(1)
                + " columns, expected past + T = "
                + (past + t));
      }
      NDArray x =
          own(Embedding.embedding(inputIds, wte.getArray(), SparseFormat.DENSE).head(), scope);
      NDArray pos =
          own(Embedding.embedding(positionIds, wpe.getArray(), SparseFormat.DENSE).head(), scope);
      x = x.add(pos);
      NDArray bias = AttentionBias.causal(attentionMask, past, t, scope);
      for (int i = 0; i < layers.length; i++) {
        x = block(i, x, bias, cache, b, t);
      }
      if (cache != null) {
        cache.advance((int) t);
      }
      NDArray h = layerNorm(x, lnFWeight, lnFBias);
      if (!training) {
        h.attach(out);
      }
      return h;
    } finally {
      if (!training) {
        scope.close();
      }
    }
  }

  private NDArray block(int i, NDArray x, NDArray bias, KvCache cache, long b, long t) {
    Layer l = layers[i];
    int h = config.nHead();
    int hd = config.headDim();
    NDArray a = layerNorm(x, l.ln1W, l.ln1B);
    NDArray qkv = a.matMul(l.attnW.getArray()).add(l.attnB.getArray());
    NDList parts = qkv.split(3, 2);
    NDArray q =
        parts.get(0).reshape(b, t, h, hd).transpose(0, 2, 1, 3).mul((float) (1.0 / Math.sqrt(hd)));
    NDArray kT = parts.get(1).reshape(b, t, h, hd).transpose(0, 2, 3, 1);
    NDArray v = parts.get(2).reshape(b, t, h, hd).transpose(0, 2, 1, 3);
    if (cache != null) {
      NDArray[] kv = cache.append(i, kT, v);
      kT = kv[0];
      v = kv[1];
    }
    // q first: scores and everything after them belong to the step's manager, not the cache's
    NDArray scores = q.matMul(kT).add(bias);
    NDArray attn = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, t, (long) h * hd);
    x = x.add(attn.matMul(l.attnProjW.getArray()).add(l.attnProjB.getArray()));
    NDArray m = layerNorm(x, l.ln2W, l.ln2B);
    m = activation.apply(m.matMul(l.fcW.getArray()).add(l.fcB.getArray()));
    return x.add(m.matMul(l.mlpProjW.getArray()).add(l.mlpProjB.getArray()));
  }

  private NDArray layerNorm(NDArray x, Parameter w, Parameter bias) {
    return LayerNorm.layerNorm(
            x, new Shape(config.nEmbd()), w.getArray(), bias.getArray(), config.layerNormEpsilon())
        .head();
  }

  private static NDArray own(NDArray a, NDManager scope) {
    if (a.getManager() != scope) {
      a.attach(scope);
    }
    return a;
  }

  /** DJL entry point: inputs {ids, positionIds, attentionMask} -> {hidden}; no cache. */
  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    return new NDList(hidden(inputs.get(0), inputs.get(1), inputs.get(2), null, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape ids = inputShapes[0];
    return new Shape[] {new Shape(ids.get(0), ids.get(1), config.nEmbd())};
  }
}
