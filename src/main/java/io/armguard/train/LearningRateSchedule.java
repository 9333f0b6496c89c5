package io.armguard.train;

/**
 * Linear warm-up from 0 to the peak over {@code warmupSteps}, then cosine decay to {@code
 * minFraction} of the peak at {@code totalSteps}.
 */
public record LearningRateSchedule(float peak, int warmupSteps, int totalSteps, float minFraction) {

  /** Learning rate of the 1-based {@code step}. */
  public float at(long step) {
    if (warmupSteps > 0 && step <= warmupSteps) {
      return peak * step / warmupSteps;
    }
    double progress =
        totalSteps <= warmupSteps
            ? 1
            : Math.min(1.0, (step - warmupSteps) / (double) (totalSteps - warmupSteps));
    double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
    return (float) (peak * (minFraction + (1 - minFraction) * cosine));
  }
}
