package io.armguard.streams;

import io.armguard.moderate.BatchModerator;
import io.armguard.moderate.Task;
import io.armguard.moderate.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides one micro-batch the way the service does, for the stream's {@link MicroBatchProcessor}
 * and for {@link OfflineModeration} alike: the whole batch in one call; if that throws, each task
 * alone, so one request the engine cannot serve does not fail its batch mates. A task that fails
 * alone gets a null verdict and its failure text. Not thread-safe (one per moderator).
 */
public final class BatchDecider {

  private static final Logger LOG = LoggerFactory.getLogger(BatchDecider.class);

  private final BatchModerator moderator;

  public BatchDecider(BatchModerator moderator) {
    this.moderator = moderator;
  }

  /** A batch's verdicts (null where a task failed) and failure texts (null where it did not). */
  public record Decisions(List<Verdict> verdicts, List<String> failures) {}

  /**
   * @param where names the caller in log lines (e.g. the task id)
   */
  public Decisions decide(List<Task> tasks, Object where) {
    List<Verdict> verdicts = new ArrayList<>(tasks.size());
    List<String> failures = new ArrayList<>(tasks.size());
    try {
      verdicts.addAll(moderator.decide(tasks));
      tasks.forEach(t -> failures.add(null));
      return new Decisions(verdicts, failures);
    } catch (RuntimeException e) {
      LOG.warn(
          "task {}: decoding a batch of {} failed ({}); decoding its requests one by one",
          where,
          tasks.size(),
          e.toString());
    }
    for (Task t : tasks) {
      try {
        verdicts.add(moderator.decide(List.of(t)).get(0));
        failures.add(null);
      } catch (RuntimeException e) {
        LOG.error("task {}: request {} cannot be decoded", where, t.id(), e);
        verdicts.add(null);
        failures.add("decode failed: " + e);
      }
    }
    return new Decisions(verdicts, failures);
  }
}
