package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import io.armguard.decode.GuidedEngine;
import io.armguard.moderate.BatchModerator;
import io.armguard.moderate.Task;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.SourceInfo;
import io.armguard.schema.Timings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Answers requests without Kafka through the stream's own parts, in the stream's order: {@link
 * RequestValidator} (invalid: REJECTED at once), {@link TaskFactory}, batches of {@code batch.size}
 * valid requests in arrival order, {@link BatchDecider} over a {@link BatchModerator} with the
 * configured policy, and {@link OutcomeRecords}. So a request gets the decision it would get from
 * the service when its batch holds the same requests. What {@code armguard moderate --input} runs.
 *
 * <p>Not thread-safe; uses the calling thread's engine, which the caller owns and closes.
 */
public final class OfflineModeration {

  private final ArmguardConfig config;
  private final GuidedEngine engine;
  private final LongSupplier clock;
  private final RequestValidator validator;
  private final TaskFactory tasks;
  private final OutcomeRecords outcomes;
  private final BatchDecider decider;

  /**
   * @param clock epoch ms stamped on the records
   */
  public OfflineModeration(ArmguardConfig config, GuidedEngine engine, LongSupplier clock) {
    this.config = config;
    this.engine = engine;
    this.clock = clock;
    this.validator = new RequestValidator(config);
    this.tasks = new TaskFactory(config);
    this.outcomes =
        new OutcomeRecords(
            config.instanceId(), config.toxicityThreshold(), config.moderationMode());
    this.decider = new BatchDecider(new BatchModerator(engine, ModerationConfig.policy(config)));
  }

  /**
   * The completion and audit record of every request, in request order.
   *
   * @param source names the input in the audit's source (topic field; offset = index)
   */
  public List<OutcomeRecords.Outcome> answer(List<GenerationRequest> requests, String source) {
    OutcomeRecords.Outcome[] out = new OutcomeRecords.Outcome[requests.size()];
    List<Integer> valid = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      GenerationRequest r = requests.get(i);
      Optional<String> problem = validator.problem(r, engine);
      if (problem.isPresent()) {
        out[i] =
            outcomes.rejected(r, sourceOf(source, i), "validate", problem.get(), clock.getAsLong());
      } else {
        valid.add(i);
      }
    }
    for (int from = 0; from < valid.size(); from += config.batchSize()) {
      List<Integer> batch = valid.subList(from, Math.min(from + config.batchSize(), valid.size()));
      List<Task> taskList = batch.stream().map(i -> tasks.toTask(requests.get(i))).toList();
      long t0 = System.nanoTime();
      BatchDecider.Decisions d = decider.decide(taskList, source);
      long decodeMs = (System.nanoTime() - t0) / 1_000_000;
      for (int j = 0; j < batch.size(); j++) {
        int i = batch.get(j);
        long now = clock.getAsLong();
        out[i] =
            d.verdicts().get(j) == null
                ? outcomes.rejected(
                    requests.get(i), sourceOf(source, i), "decode", d.failures().get(j), now)
                : outcomes.decided(
                    requests.get(i),
                    sourceOf(source, i),
                    taskList.get(j),
                    d.verdicts().get(j),
                    new Timings(0L, batch.size(), decodeMs),
                    engine,
                    now);
      }
    }
    return List.of(out);
  }

  private static SourceInfo sourceOf(String source, int index) {
    return new SourceInfo(source, 0, (long) index);
  }
}
