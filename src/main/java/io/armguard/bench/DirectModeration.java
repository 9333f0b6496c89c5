package io.armguard.bench;

import io.armguard.config.ArmguardConfig;
import io.armguard.decode.GuidedEngine;
import io.armguard.moderate.BatchModerator;
import io.armguard.moderate.Task;
import io.armguard.schema.GenerationRequest;
import io.armguard.streams.DecodeLane;
import io.armguard.streams.ModerationConfig;
import io.armguard.streams.TaskFactory;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The same moderator the topology runs, on its own engine, {@code batch.size} requests at a time,
 * without Kafka. It decodes on a {@link DecodeLane} worker thread, as the service does; the
 * main-thread figure is measured beside it because libtorch decodes a few percent faster on the
 * JVM's main thread here (BENCHMARKS.md). Used from one thread; closing stops the worker and closes
 * the engine.
 */
public final class DirectModeration implements AutoCloseable {
  private final TaskFactory factory;
  private final BatchModerator moderator;
  private final int batchSize;
  private final DecodeLane lane;

  /** Takes ownership of {@code engine}. */
  public DirectModeration(ArmguardConfig config, GuidedEngine engine) {
    this.factory = new TaskFactory(config);
    this.moderator = new BatchModerator(engine, ModerationConfig.policy(config));
    this.batchSize = config.batchSize();
    this.lane = new DecodeLane(engine, "armguard-direct-decode");
  }

  /** Seconds to decode {@code work} on the lane's worker thread. */
  public double secondsOnWorker(List<GenerationRequest> work) {
    CompletableFuture<Double> done = new CompletableFuture<>();
    lane.execute(
        () -> {
          try {
            done.complete(decodeSeconds(work));
          } catch (Throwable t) {
            done.completeExceptionally(t);
          }
        });
    return done.join();
  }

  /** Seconds to decode {@code work} on the calling thread. */
  public double secondsOnCallingThread(List<GenerationRequest> work) {
    return decodeSeconds(work);
  }

  private double decodeSeconds(List<GenerationRequest> work) {
    List<Task> tasks = work.stream().map(factory::toTask).toList();
    long t0 = System.nanoTime();
    for (int i = 0; i < tasks.size(); i += batchSize) {
      moderator.decide(tasks.subList(i, Math.min(i + batchSize, tasks.size())));
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  @Override
  public void close() {
    lane.close();
  }
}
