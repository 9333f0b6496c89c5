package io.armguard.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.NormalInitializer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ARM's reward head over a frozen token embedding E [V, d] (docs/algorithm.md section 3): for label
 * j, prefix hidden state h and next token v,
 *
 * <pre>r_j(x, v) = &lt;w_j, h&gt; + &lt;W_j h, e_v&gt;</pre>
 *
 * the prefix <em>baseline</em> (no bias) plus the token <em>delta</em>. Stored as {@code
 * arm_head.baseline} [L, d] (rows w_j) and {@code arm_head.delta} [L, d, d] (W_j, applied as {@code
 * h · W_jᵀ} like a torch {@code nn.Linear} weight). Every method computes from the live parameters,
 * so gradients reach the head and (through h) the backbone; E is passed in and is expected to be
 * frozen.
 */
public final class ArmHead {

  public static final String BASELINE = "arm_head.baseline";
  public static final String DELTA = "arm_head.delta";

  private final Parameter baseline;
  private final Parameter delta;
  private final int d;
  private final int labels;

  private ArmHead(Parameter baseline, Parameter delta, int d, int labels) {
    this.baseline = baseline;
    this.delta = delta;
    this.d = d;
    this.labels = labels;
  }

  /** A new head, both parts N(0, 0.02) (uses libtorch's global generator). */
  public static ArmHead random(int d, int labels, NDManager manager) {
    NormalInitializer init = new NormalInitializer(0.02f);
    return new ArmHead(
        HeadParameter.create(BASELINE, new Shape(labels, d), init, manager),
        HeadParameter.create(DELTA, new Shape(labels, d, d), init, manager),
        d,
        labels);
  }

  /** The head stored in {@code tensors} (as read from model.safetensors). */
  static ArmHead fromTensors(Map<String, NDArray> tensors, int d, int labels, NDManager manager)
      throws IOException {
    return new ArmHead(
        HeadParameter.fromTensor(BASELINE, new Shape(labels, d), tensors, manager),
        HeadParameter.fromTensor(DELTA, new Shape(labels, d, d), tensors, manager),
        d,
        labels);
  }

  /** Baselines {@code [..., d] -> [..., L]}. */
  public NDArray baseline(NDArray hidden) {
    return Linear.linear(hidden, baseline.getArray()).head();
  }

  /** {@code W_j h} for every label: {@code [..., d] -> [..., L, d]}. */
  public NDArray projected(NDArray hidden) {
    NDArray flat = local(delta.getArray().reshape(labels * (long) d, d), hidden.getManager());
    NDArray u = Linear.linear(hidden, flat).head();
    Shape s = hidden.getShape();
    return u.reshape(s.slice(0, s.dimension() - 1).addAll(new Shape(labels, d)));
  }

  /**
   * Deltas of the given tokens: hidden {@code [B, T, d]}, tokens int64 {@code [B, T]} -> {@code [B,
   * T, L]} = {@code <W_j h[b,t], e_{tokens[b,t]}>} (the baseline-prior regulariser's input).
   */
  public NDArray delta(NDArray hidden, NDArray tokens, NDArray embedding) {
    NDArray e = embed(tokens, embedding, hidden.getManager()); // [B, T, d]
    NDArray u = projected(hidden); // [B, T, L, d]
    return u.matMul(e.expandDims(-1)).squeeze(-1); // [B, T, L]
  }

  /** Full scores of the given tokens: {@code baseline(hidden) + delta(hidden, tokens)}. */
  public NDArray scores(NDArray hidden, NDArray tokens, NDArray embedding) {
    return baseline(hidden).add(delta(hidden, tokens, embedding));
  }

  /**
   * Scores of every token of the vocabulary from one product with E: hidden {@code [B, d]} ->
   * {@code [B, L, V]}.
   */
  public NDArray allVocabulary(NDArray hidden, NDArray embedding) {
    NDArray deltas = Linear.linear(projected(hidden), embedding).head(); // [B, L, V]
    return deltas.add(baseline(hidden).expandDims(-1));
  }

  /**
   * One label's scores of k candidate tokens per row: hidden {@code [B, d]}, candidates int64
   * {@code [B, k]} -> {@code [B, k]}. Equal to gathering {@link #allVocabulary} at the candidates,
   * at k·d instead of |V|·d multiply-adds.
   */
  public NDArray candidates(NDArray hidden, NDArray candidateIds, NDArray embedding, int label) {
    NDManager m = hidden.getManager();
    NDArray w = baseline.getArray().get(m, new NDIndex("{}:{}", label, label + 1)); // [1, d]
    NDArray wj = delta.getArray().get(m, new NDIndex("{}", label)); // [d, d]
    NDArray base = Linear.linear(hidden, w).head(); // [B, 1]
    NDArray u = Linear.linear(hidden, wj).head(); // [B, d]
    NDArray e = embed(candidateIds, embedding, hidden.getManager()); // [B, k, d]
    return e.matMul(u.expandDims(-1)).squeeze(-1).add(base); // [B, k]
  }

  /**
   * Every label's scores of k candidate tokens per row: hidden {@code [N, d]}, candidates int64
   * {@code [N, k]} -> {@code [N, k, L]}. Equal to {@link #scores} with each row's hidden state
   * repeated k times, but projects each hidden state once; differentiable (candidate distillation
   * trains through it).
   */
  public NDArray candidateScores(NDArray hidden, NDArray candidateIds, NDArray embedding) {
    NDArray u = projected(hidden); // [N, L, d]
    NDArray e = embed(candidateIds, embedding, hidden.getManager()); // [N, k, d]
    NDArray deltas = e.matMul(u.transpose(0, 2, 1)); // [N, k, L]
    return deltas.add(baseline(hidden).expandDims(1));
  }

  private static NDArray embed(NDArray ids, NDArray embedding, NDManager into) {
    return local(Embedding.embedding(ids, embedding, SparseFormat.DENSE).head(), into);
  }

  /**
   * Moves a view of a weight into the activations' manager: ops on a weight land in the weight's
   * manager and would otherwise live (leak) as long as the model.
   */
  private static NDArray local(NDArray a, NDManager into) {
    if (a.getManager() != into) {
      a.attach(into);
    }
    return a;
  }

  /** Number of labels. */
  public int labels() {
    return labels;
  }

  /** Parameters by file name. */
  public Map<String, Parameter> parameters() {
    Map<String, Parameter> m = new LinkedHashMap<>();
    m.put(BASELINE, baseline);
    m.put(DELTA, delta);
    return m;
  }
}
