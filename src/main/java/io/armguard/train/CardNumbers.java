package io.armguard.train;

/** How the trainers write numbers into model cards and {@code training.json}. */
final class CardNumbers {
  private CardNumbers() {}

  /** {@code v} rounded to four decimals. */
  static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
