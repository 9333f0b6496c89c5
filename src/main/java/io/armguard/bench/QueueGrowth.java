package io.armguard.bench;

import java.util.Arrays;

/**
 * How the requests an open-loop run had in flight (sent, answer not yet consumed: queued or being
 * decoded) moved while it was sending: the most at any moment, how many at the last send, and the
 * least-squares slope over the second half of the sending window (the first half is the ramp up to
 * a steady state). A stable service keeps the slope near 0 requests/s; one that cannot keep up
 * grows at about offered − achieved.
 *
 * @param maxQueued the most requests in flight at once
 * @param queuedAtLastSend requests in flight when the last was sent
 * @param slopePerS least-squares slope of requests in flight, per second, over the second half of
 *     the sending window (0 with fewer than two samples)
 */
public record QueueGrowth(int maxQueued, int queuedAtLastSend, double slopePerS) {

  static final int SAMPLES = 200;

  /**
   * From each request's send time and the times answers were consumed (nanoTime); unanswered
   * requests stay in flight to the end.
   */
  public static QueueGrowth of(long[] sentNanos, long[] answeredNanos) {
    if (sentNanos.length == 0) {
      return new QueueGrowth(0, 0, 0);
    }
    long[] sent = sentNanos.clone();
    long[] answered = answeredNanos.clone();
    Arrays.sort(sent);
    Arrays.sort(answered);
    int max = 0;
    int inFlight = 0;
    for (int i = 0, j = 0; i < sent.length; ) {
      if (j < answered.length && answered[j] < sent[i]) {
        inFlight--;
        j++;
      } else {
        inFlight++;
        i++;
        max = Math.max(max, inFlight);
      }
    }
    long first = sent[0];
    long last = sent[sent.length - 1];
    int atLast = queuedAt(sent, answered, last);
    double[] t = new double[SAMPLES];
    double[] q = new double[SAMPLES];
    long from = first + (last - first) / 2;
    for (int k = 0; k < SAMPLES; k++) {
      long at = from + (long) ((last - from) * (k / (double) (SAMPLES - 1)));
      t[k] = (at - first) / 1e9;
      q[k] = queuedAt(sent, answered, at);
    }
    return new QueueGrowth(max, atLast, Statistics.round(slope(t, q), 3));
  }

  /** Sent at or before {@code at} minus answered at or before it (both ascending). */
  private static int queuedAt(long[] sent, long[] answered, long at) {
    return upTo(sent, at) - upTo(answered, at);
  }

  private static int upTo(long[] ascending, long at) {
    int i = Arrays.binarySearch(ascending, at);
    if (i < 0) {
      return -i - 1;
    }
    while (i + 1 < ascending.length && ascending[i + 1] == at) {
      i++;
    }
    return i + 1;
  }

  static double slope(double[] x, double[] y) {
    int n = x.length;
    double mx = Arrays.stream(x).average().orElse(0);
    double my = Arrays.stream(y).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
    }
    return sxx == 0 ? 0 : sxy / sxx;
  }
}
