package io.armguard.serde;

import java.time.Duration;

/**
 * How long and how often a deserializer asks an unreachable registry again before giving up with
 * {@link RegistryUnavailableException}: exponential back-off from {@code initial}, doubling, capped
 * at {@code maxBackoff}, until {@code budget} has passed. The budget must stay well inside the
 * transaction timeout: the stream thread waits here with its transaction open.
 *
 * @param initial first pause
 * @param maxBackoff longest pause
 * @param budget total time to keep trying; zero = one attempt
 */
public record RegistryRetry(Duration initial, Duration maxBackoff, Duration budget) {

  /** Key of the budget in the registry client settings. */
  public static final String BUDGET_MS = "schema.registry.retry.max.ms";

  /** Default budget: long enough for a registry restart's blip, short against the timeouts. */
  public static final long DEFAULT_BUDGET_MS = 10_000;

  /** 100 ms doubling to 2 s, for {@code budget}. */
  public static RegistryRetry withBudget(Duration budget) {
    return new RegistryRetry(Duration.ofMillis(100), Duration.ofSeconds(2), budget);
  }

  /** The pause after {@code attempt} (0-based) failed attempts. */
  public long pauseMs(int attempt) {
    long pause = initial.toMillis() << Math.min(attempt, 20);
    return Math.min(pause, maxBackoff.toMillis());
  }
}
