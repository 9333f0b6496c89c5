package io.armguard.model.onnx;

import io.armguard.model.BertBackbone;
import io.armguard.model.BertConfig;
import io.armguard.model.SafetensorsWriter.HostTensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recovers a Hugging Face {@code BertModel} checkpoint from a PyTorch ONNX export of a BERT-family
 * encoder (the all-MiniLM-L6-v2 / bge-small / e5-small exports shipped in langchain4j's jars).
 *
 * <p>In such an export the embeddings, biases and LayerNorms keep their HF names; the six matmul
 * weights of each layer are anonymous ({@code onnx::MatMul_787}) and stored {@code [in, out]}. Each
 * is named after the {@code MatMul} node that consumes it ({@code
 * /encoder/layer.0/attention/self/query/MatMul} becomes {@code
 * encoder.layer.0.attention.self.query.weight}) and transposed to PyTorch's {@code [out, in]}. The
 * shape facts the initializers do not hold come from the graph: heads from the attention's score
 * scale 1/sqrt(head_dim), the LayerNorm epsilon from the embedding LayerNorm's constant, the
 * activation from the ops present ({@code Erf}: exact GELU).
 *
 * <p>Anything that does not fit (a matmul weight consumed by an unknown node, a missing tensor, a
 * shape that disagrees with the config) fails with a message that names it: the graph is then not a
 * BERT encoder this importer understands.
 */
public final class BertOnnxImport {

  private static final Pattern MATMUL =
      Pattern.compile(
          "/encoder/layer\\.(\\d+)/(attention/self/(?:query|key|value)|attention/output/dense"
              + "|intermediate/dense|output/dense)/MatMul");
  private static final Pattern LAYER = Pattern.compile("encoder\\.layer\\.(\\d+)\\.");

  /**
   * The recovered checkpoint.
   *
   * @param config bidirectional, with the given special ids
   * @param tensors HF names in {@code BertModel} order, PyTorch orientation, float32
   * @param notes how each derived config value was found, for the model card
   */
  public record Result(BertConfig config, Map<String, HostTensor> tensors, List<String> notes) {}

  private BertOnnxImport() {}

  /**
   * Maps {@code onnx}'s initializers to {@code BertModel} names.
   *
   * @param heads attention heads, or null to derive them from the graph
   * @param padId {@code [PAD]} id, @param clsId {@code [CLS]} id (BOS), @param sepId {@code [SEP]}
   *     id (end of text), from the tokenizer
   * @throws IOException when the graph is not a BERT encoder (the message says what is off)
   */
  public static Result convert(OnnxWeights onnx, Integer heads, int padId, int clsId, int sepId)
      throws IOException {
    List<String> notes = new ArrayList<>();
    Map<String, HostTensor> byName = new LinkedHashMap<>();
    TreeSet<Integer> layerIds = new TreeSet<>();
    for (Map.Entry<String, Origin> e : origins(onnx).entrySet()) {
      byName.put(e.getKey(), e.getValue().read(onnx));
      Matcher layer = LAYER.matcher(e.getKey());
      if (e.getValue().transposed() && layer.lookingAt()) {
        layerIds.add(Integer.parseInt(layer.group(1)));
      }
    }
    HostTensor words = require(byName, BertBackbone.TOKEN_EMBEDDING);
    HostTensor positions = require(byName, "embeddings.position_embeddings.weight");
    HostTensor types = require(byName, "embeddings.token_type_embeddings.weight");
    HostTensor inter = require(byName, "encoder.layer.0.intermediate.dense.weight");
    int d = (int) words.shape()[1];
    if (layerIds.isEmpty() || layerIds.first() != 0 || layerIds.last() != layerIds.size() - 1) {
      throw new IOException("not a BERT encoder: layer indices " + layerIds + " are not 0..n-1");
    }
    int h = heads != null ? heads : derivedHeads(onnx, d, notes);
    if (heads != null) {
      notes.add("num_attention_heads " + heads + " given on the command line");
    }
    BertConfig config =
        new BertConfig(
            (int) words.shape()[0],
            d,
            layerIds.size(),
            h,
            (int) inter.shape()[0],
            (int) positions.shape()[0],
            (int) types.shape()[0],
            layerNormEps(onnx, notes),
            activation(onnx, notes),
            padId,
            clsId,
            sepId,
            false);
    // BertModel's order and shapes, from the backbone's own definition of the layout
    Map<String, HostTensor> ordered = new LinkedHashMap<>();
    BertBackbone layout = new BertBackbone(config);
    List<String> missing = new ArrayList<>();
    for (var p : layout.namedParameters().entrySet()) {
      HostTensor t = byName.remove(p.getKey());
      if (t == null) {
        missing.add(p.getKey());
        continue;
      }
      long[] want = p.getValue().getShape().getShape();
      if (!java.util.Arrays.equals(want, t.shape())) {
        throw new IOException(
            "not a BERT encoder: "
                + p.getKey()
                + " has shape "
                + java.util.Arrays.toString(t.shape())
                + ", expected "
                + java.util.Arrays.toString(want));
      }
      ordered.put(p.getKey(), t);
    }
    if (!missing.isEmpty()) {
      throw new IOException("not a BERT encoder: missing tensors " + missing);
    }
    if (!byName.isEmpty()) {
      throw new IOException("not a BERT encoder: unexpected tensors " + byName.keySet());
    }
    return new Result(config, ordered, notes);
  }

  /**
   * Which initializer each {@code BertModel} tensor of the export comes from: the HF name mapped to
   * the ONNX initializer and whether it is transposed (the six matmul weights of each layer), in
   * graph order then file order. Only names the export holds are listed; {@link #convert} checks
   * completeness and shapes.
   *
   * @throws IOException when a matmul weight feeds a node that is not a BERT layer projection
   */
  public static Map<String, Origin> origins(OnnxWeights onnx) throws IOException {
    Map<String, OnnxWeights.Tensor> inits = onnx.initializers();
    Map<String, Origin> out = new LinkedHashMap<>();
    for (OnnxWeights.Node n : onnx.nodes()) {
      if (!n.opType().equals("MatMul") || n.inputs().size() != 2) {
        continue;
      }
      OnnxWeights.Tensor w = inits.get(n.inputs().get(1));
      if (w == null) {
        continue; // activation x activation (attention scores)
      }
      Matcher m = MATMUL.matcher(n.name());
      if (!m.matches() || w.dims().length != 2) {
        throw new IOException(
            "not a BERT encoder: weight "
                + w.name()
                + " feeds MatMul node '"
                + n.name()
                + "', which is not one of a BERT layer's six projections");
      }
      String hf = "encoder.layer." + m.group(1) + "." + m.group(2).replace('/', '.') + ".weight";
      if (out.put(hf, new Origin(w.name(), true)) != null) {
        throw new IOException("not a BERT encoder: two MatMul weights map to " + hf);
      }
    }
    for (OnnxWeights.Tensor t : inits.values()) {
      if ((t.name().startsWith("embeddings.") || t.name().startsWith("encoder."))
          && !t.name().equals("embeddings.position_ids")) {
        out.put(t.name(), new Origin(t.name(), false));
      }
    }
    return out;
  }

  /**
   * Where one {@code BertModel} tensor comes from in the export.
   *
   * @param initializer the ONNX initializer's name
   * @param transposed whether the tensor is the initializer transposed ({@code [in, out]} to {@code
   *     [out, in]})
   */
  public record Origin(String initializer, boolean transposed) {

    /** The tensor's values in PyTorch orientation. */
    public HostTensor read(OnnxWeights onnx) throws IOException {
      OnnxWeights.Tensor t = onnx.initializers().get(initializer);
      if (t == null) {
        throw new IOException("ONNX graph has no initializer " + initializer);
      }
      return transposed ? transpose(t) : new HostTensor(t.floats(), t.dims());
    }
  }

  private static HostTensor require(Map<String, HostTensor> byName, String name)
      throws IOException {
    HostTensor t = byName.get(name);
    if (t == null) {
      throw new IOException("not a BERT encoder: no initializer named " + name);
    }
    return t;
  }

  /** [in, out] -> [out, in]. */
  private static HostTensor transpose(OnnxWeights.Tensor w) throws IOException {
    int in = (int) w.dims()[0];
    int out = (int) w.dims()[1];
    float[] src = w.floats();
    float[] dst = new float[src.length];
    for (int i = 0; i < in; i++) {
      for (int j = 0; j < out; j++) {
        dst[j * in + i] = src[i * out + j];
      }
    }
    return new HostTensor(dst, new long[] {out, in});
  }

  /** Heads = d / head_dim, head_dim from the score scale 1/sqrt(head_dim) of layer 0. */
  private static int derivedHeads(OnnxWeights onnx, int d, List<String> notes) throws IOException {
    Float scale = constantInput(onnx, "/encoder/layer.0/attention/self/Div");
    boolean divides = scale != null;
    if (scale == null) {
      scale = constantInput(onnx, "/encoder/layer.0/attention/self/Mul");
    }
    if (scale != null) {
      double s = divides ? scale : 1.0 / scale;
      long headDim = Math.round(s * s);
      if (headDim > 0 && Math.abs(Math.sqrt(headDim) - s) < 1e-3 && d % headDim == 0) {
        notes.add(
            "num_attention_heads "
                + d / headDim
                + " from the attention score scale of layer 0 (head_dim "
                + headDim
                + ")");
        return (int) (d / headDim);
      }
    }
    throw new IOException(
        "cannot derive num_attention_heads from the graph (no score scale constant on"
            + " /encoder/layer.0/attention/self/Div); pass the head count explicitly");
  }

  private static float layerNormEps(OnnxWeights onnx, List<String> notes) throws IOException {
    Float eps = constantInput(onnx, "/embeddings/LayerNorm/Add");
    if (eps == null) {
      notes.add("layer_norm_eps 1e-12 (BERT's default: not found in the graph)");
      return 1e-12f;
    }
    notes.add("layer_norm_eps " + eps + " from the embedding LayerNorm");
    return eps;
  }

  private static String activation(OnnxWeights onnx, List<String> notes) throws IOException {
    boolean erf = onnx.nodes().stream().anyMatch(n -> n.opType().equals("Erf"));
    boolean tanh = onnx.nodes().stream().anyMatch(n -> n.opType().equals("Tanh"));
    boolean gelu = onnx.nodes().stream().anyMatch(n -> n.opType().equals("Gelu"));
    if (erf || gelu) {
      notes.add("hidden_act gelu (exact: the graph computes erf)");
      return "gelu";
    }
    if (tanh) {
      notes.add("hidden_act gelu_new (tanh form: the graph has Tanh and no Erf)");
      return "gelu_new";
    }
    throw new IOException("not a BERT encoder: no GELU (Erf, Gelu or Tanh op) in the graph");
  }

  /** The scalar float Constant feeding the node called {@code nodeName}, or null. */
  private static Float constantInput(OnnxWeights onnx, String nodeName) throws IOException {
    Map<String, OnnxWeights.Tensor> constants = new LinkedHashMap<>();
    for (OnnxWeights.Node n : onnx.nodes()) {
      if (n.value() != null && n.outputs().size() == 1) {
        constants.put(n.outputs().get(0), n.value());
      }
    }
    for (OnnxWeights.Node n : onnx.nodes()) {
      if (!n.name().equals(nodeName)) {
        continue;
      }
      for (String in : n.inputs()) {
        OnnxWeights.Tensor c = constants.getOrDefault(in, onnx.initializers().get(in));
        if (c != null && c.dataType() == OnnxWeights.FLOAT && c.size() == 1) {
          return c.floats()[0];
        }
      }
    }
    return null;
  }
}
