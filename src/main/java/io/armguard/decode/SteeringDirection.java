package io.armguard.decode;

/**
 * Which way the steering label pulls. An explicit enum, because both reference codebases parse
 * {@code --inverse False} as true.
 */
public enum SteeringDirection {
  /** Detoxification: the bonus is beta * (1 - r), r the label's clamped score. */
  AWAY_FROM_LABEL,
  /** Toward the label (e.g. positive sentiment): the bonus is beta * r. */
  TOWARD_LABEL
}
