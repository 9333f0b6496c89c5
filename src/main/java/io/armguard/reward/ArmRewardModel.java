package io.armguard.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.armguard.model.Backbone;
import io.armguard.model.KvCache;
import io.armguard.model.LeftPadding;
import io.armguard.model.TextTokenizer;
import java.util.Map;

/**
 * ARM's reward model (docs/algorithm.md section 3): a causal transformer over BOS + prefix whose
 * last hidden state h scores every next token at once, r(x, v) = w·h + (W h)·e_v, with E the
 * backbone's own token embedding, kept frozen (GPT-2's {@code wte} or BERT's word embeddings never
 * receive a gradient). One reward-model step per generated token, whatever k is.
 *
 * <p>The BOS token (config {@code bos_token_id}; BERT: {@code [CLS]}) is placed right before each
 * sequence's first real token, so the empty prefix has a hidden state and left/right padding give
 * the same scores.
 */
public final class ArmRewardModel extends BackboneRewardModel {

  private final ArmHead head;

  ArmRewardModel(
      Backbone backbone, ArmHead head, RewardModelInfo info, TextTokenizer tokenizer, String id) {
    super(RewardKind.ARM, backbone, info, tokenizer, id);
    this.head = head;
    backbone
        .namedParameters()
        .get(backbone.tokenEmbeddingName())
        .freeze(true); // E is frozen (docs/algorithm.md 3)
  }

  /**
   * An ARM model on {@code backbone} with a new random head (training starts here). Freezes the
   * backbone's {@code wte}.
   */
  public static ArmRewardModel withNewHead(
      Backbone backbone, RewardModelInfo info, TextTokenizer tokenizer, NDManager manager) {
    ArmHead head = ArmHead.random(backbone.config().hiddenSize(), info.labelCount(), manager);
    return new ArmRewardModel(backbone, head, info, tokenizer, "unsaved");
  }

  public ArmHead head() {
    return head;
  }

  /** The frozen token embedding E [V, d] (the backbone's wte; do not close). */
  public NDArray embedding() {
    return backbone().tokenEmbedding();
  }

  public int bosId() {
    return backbone().config().bosTokenId();
  }

  /**
   * Hidden states that score each observed token: {@code out[b, t]} is h(BOS, x_1..x_{t-1}) for the
   * real token {@code ids[b, t]} (the input is shifted right by one, with BOS before each row's
   * first real token).
   *
   * @param ids int64 [B, T], left- or right-padded
   * @param mask int64 [B, T], 1 = real token
   * @return [B, T, d] in {@code ids}' manager
   */
  public NDArray shiftedHidden(NDArray ids, NDArray mask, boolean training) {
    NDManager m = ids.getManager();
    long b = ids.getShape().get(0);
    NDArray bos = m.full(new Shape(b, 1), (float) bosId(), DataType.INT64);
    NDArray prevIds = bos.concat(ids.get(new NDIndex(":, :-1")), 1);
    NDArray prevMask = bos.zerosLike().concat(mask.get(new NDIndex(":, :-1")), 1);
    // a real column whose predecessor is padding (or nothing) starts its row: it reads BOS
    NDArray input = prevIds.mul(prevMask).add(bos.mul(prevMask.neg().add(1L)));
    return backbone().hidden(input, LeftPadding.positionIds(mask), mask, null, training);
  }

  /** Raw scores of the observed tokens, [B, T, L]: r(x_&lt;t, x_t). */
  public NDArray observedScores(NDArray ids, NDArray mask, boolean training) {
    return head.scores(shiftedHidden(ids, mask, training), ids, embedding());
  }

  @Override
  public NDArray prefixScores(NDArray ids, NDArray mask, boolean training) {
    return observedScores(ids, mask, training);
  }

  /**
   * Runs T new tokens per row against {@code cache} (extended in place), inference only; the caller
   * supplies BOS as the first token of each sequence.
   *
   * @return the hidden states [N, T, d] in {@code ids}' manager
   */
  public NDArray stepHidden(NDArray ids, NDArray positionIds, NDArray mask, KvCache cache) {
    return backbone().hidden(ids, positionIds, mask, cache, false);
  }

  /** The backbone's parameters but the frozen token embedding, then the head's. */
  @Override
  public Map<String, Parameter> trainableParameters() {
    Map<String, Parameter> m = super.trainableParameters();
    m.remove(backbone().tokenEmbeddingName());
    return m;
  }

  @Override
  Map<String, Parameter> headParameters() {
    return head.parameters();
  }
}
