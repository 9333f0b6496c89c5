package io.armguard.streams;

import java.util.function.LongSupplier;

/**
 * Admits at most {@code perWindow} log lines per {@code windowMs}; lines over the limit are
 * counted, and the next admitted line reports how many were suppressed. Thread-safe.
 */
final class LogRateLimit {

  private final int perWindow;
  private final long windowMs;
  private final LongSupplier clockMs;
  private long windowStart = Long.MIN_VALUE;
  private int inWindow;
  private long suppressed;

  LogRateLimit(int perWindow, long windowMs, LongSupplier clockMs) {
    this.perWindow = perWindow;
    this.windowMs = windowMs;
    this.clockMs = clockMs;
  }

  /**
   * -1 when this line must be dropped; otherwise the number of lines dropped since the last one
   * admitted (0 usually).
   */
  synchronized long admit() {
    long now = clockMs.getAsLong();
    if (windowStart == Long.MIN_VALUE || now - windowStart >= windowMs) {
      windowStart = now;
      inWindow = 0;
    }
    if (inWindow >= perWindow) {
      suppressed++;
      return -1;
    }
    inWindow++;
    long dropped = suppressed;
    suppressed = 0;
    return dropped;
  }
}
