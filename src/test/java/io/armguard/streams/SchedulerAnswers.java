package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting on a {@link DecodeScheduler}'s clients in tests, as a task's punctuator polls them. */
final class SchedulerAnswers {

  private SchedulerAnswers() {}

  /** Polls {@code c} until it has handed out {@code n} answers; fails after {@code wait}. */
  static List<ScheduledAnswer> answers(DecodeScheduler.Client c, int n, Duration wait) {
    List<ScheduledAnswer> out = new ArrayList<>();
    awaitTrue(
        () -> {
          ScheduledAnswer a;
          while ((a = c.poll()) != null) {
            out.add(a);
          }
          return out.size() >= n;
        },
        wait);
    return out;
  }

  /** Fails unless {@code condition} holds within {@code wait}. */
  static void awaitTrue(BooleanSupplier condition, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within " + wait);
      try {
        TimeUnit.MILLISECONDS.sleep(2); // polling a condition, not standing in for one
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }
}
