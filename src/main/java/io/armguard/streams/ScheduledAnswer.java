package io.armguard.streams;

import io.armguard.moderate.Task;
import io.armguard.moderate.Verdict;
import io.armguard.schema.BufferedRequest;

/**
 * One request's answer from the {@link DecodeScheduler}, handed back to the task that offered it.
 *
 * @param key the request's key in its task's buffer store
 * @param buffered the request as the task buffered it
 * @param task what was decoded
 * @param verdict the decision; null when the request failed
 * @param failure why it failed; null when it did not
 * @param batch the batch it was decoded in
 */
public record ScheduledAnswer(
    long key,
    BufferedRequest buffered,
    Task task,
    Verdict verdict,
    String failure,
    BatchFacts batch) {

  /**
   * What a batch's requests share.
   *
   * @param size requests in the batch (of every task)
   * @param startMs wall clock (epoch ms) when its decode started
   * @param decodeMs how long its decode took
   */
  public record BatchFacts(int size, long startMs, long decodeMs) {}
}
