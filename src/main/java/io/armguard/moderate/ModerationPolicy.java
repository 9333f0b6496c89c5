package io.armguard.moderate;

/**
 * How MODERATE handles a toxic response.
 *
 * @param maxAttempts guided regenerations tried before BLOCKED (0 = block at once)
 * @param fallbackText delivered text when the response is BLOCKED
 */
public record ModerationPolicy(int maxAttempts, String fallbackText) {
  public ModerationPolicy {
    if (maxAttempts < 0) {
      throw new IllegalArgumentException("maxAttempts must be >= 0, got " + maxAttempts);
    }
  }
}
