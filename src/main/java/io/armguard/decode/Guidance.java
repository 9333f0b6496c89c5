package io.armguard.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A reward model plugged into {@link BatchDecoder} between the LM's top-k candidates and the
 * sampler, for one batch. The decoder calls {@link #start} once, then for every step {@link #score}
 * and {@link #advance}, then {@link #close}. The decoder turns the raw score r into the logit bonus
 * {@code beta * (1 - r)} or {@code beta * r} per request (direction and beta are the request's).
 *
 * <p>B is the number of rows currently in the batch: the prompts' count until the decoder drops
 * finished rows (see {@link #retainRows}).
 *
 * <p>Arrays passed in belong to the decoder: do not close them. Arrays a method returns must belong
 * to the manager it was given. State that lives across steps (a reward model's KV cache) belongs in
 * a sub-manager of {@code batchManager}, freed by {@link #close}. One batch, one thread.
 */
public interface Guidance extends AutoCloseable {

  /**
   * Before the LM's prefill: where each row's reward-model state starts. This is the reward model's
   * own view of the text ({@link DecodeRequest#rewardText()}), which may differ from the LM's
   * prompt: armguard's reward models score a reply alone, so a rewrite's reward state starts from
   * BOS + the kept reply prefix while the LM sees prompt + kept prefix.
   *
   * @param rewardPrefixes per row, the token ids the reward model has seen before the first
   *     generated token, without BOS (the guidance adds what its model needs); may be empty
   * @param batchManager lives until the batch is done
   */
  void start(int[][] rewardPrefixes, NDManager batchManager);

  /**
   * Scores the candidates for the next token.
   *
   * @param candidateIds int64 [B, k], the LM's top-k ids per row in descending LM-logit order
   * @param stepManager freed after this step
   * @return float32 [B, k], the steering label's score r of prefix + candidate, clamped to [0, 1]
   */
  NDArray score(NDArray candidateIds, NDManager stepManager);

  /**
   * The tokens chosen this step (rows that already finished get their EOS again).
   *
   * @param chosenIds int64 [B]
   * @param chosenCandidateIndex int64 [B], index of the chosen id among the k candidates
   * @param stepManager freed after this step
   */
  void advance(NDArray chosenIds, NDArray chosenCandidateIndex, NDManager stepManager);

  /**
   * Whether this guidance can follow the decoder dropping finished rows ({@link #retainRows}). When
   * false the decoder keeps finished rows in the batch (their outputs are ignored).
   */
  default boolean canRetainRows() {
    return false;
  }

  /**
   * From the next step on the batch holds only the given rows, in this order (only called when
   * {@link #canRetainRows()}); drop the others from any per-row state.
   *
   * @param rows int64 [B'], ascending indices into the current batch
   * @param stepManager freed after this step
   */
  default void retainRows(NDArray rows, NDManager stepManager) {
    throw new UnsupportedOperationException("this guidance cannot drop rows");
  }

  /**
   * Whether this guidance can take in another batch's rows ({@link #join}), which a {@link
   * RollingBatch} needs to let requests join at token boundaries.
   */
  default boolean canJoin() {
    return false;
  }

  /**
   * Appends the rows of {@code newcomers} after this batch's rows (only called when {@link
   * #canJoin()}). Both guidances come from the same provider and are at the same point of a step:
   * each has scored its rows' candidates and been told the chosen tokens ({@link #advance}). From
   * the next step on this guidance serves all rows; {@code newcomers} is closed by this call.
   *
   * @param stepManager freed after this step
   */
  default void join(Guidance newcomers, NDManager stepManager) {
    throw new UnsupportedOperationException("this guidance cannot take in rows");
  }

  /** Frees what the guidance holds for this batch. */
  @Override
  void close();
}
