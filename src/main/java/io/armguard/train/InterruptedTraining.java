package io.armguard.train;

/** Thrown by a trainer's test hook to simulate a run killed after a step. */
final class InterruptedTraining extends RuntimeException {
  private static final long serialVersionUID = 1L;

  InterruptedTraining(long step) {
    super("training interrupted after step " + step);
  }
}
