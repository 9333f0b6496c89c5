package io.armguard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class QueueGrowthTest {

  private static final long MS = 1_000_000;

  @Test
  void aServiceThatKeepsUpHasAFlatQueue() {
    int n = 1000;
    long[] sent = new long[n];
    long[] answered = new long[n];
    for (int i = 0; i < n; i++) {
      sent[i] = i * 10 * MS; // 100 requests/s
      answered[i] = sent[i] + 25 * MS; // each answered 25 ms later: 2-3 in flight
    }
    QueueGrowth q = QueueGrowth.of(sent, answered);
    assertEquals(3, q.maxQueued());
    assertEquals(3, q.queuedAtLastSend());
    assertEquals(0, q.slopePerS(), 0.5);
  }

  @Test
  void aServiceThatFallsBehindGrowsAtOfferedMinusAchieved() {
    int n = 1000;
    long[] sent = new long[n];
    long[] answered = new long[n];
    for (int i = 0; i < n; i++) {
      sent[i] = i * 10 * MS; // offered 100/s
      answered[i] = i * 20 * MS + 5 * MS; // achieved 50/s
    }
    QueueGrowth q = QueueGrowth.of(sent, answered);
    assertEquals(50, q.slopePerS(), 1.0);
    assertEquals(500, q.queuedAtLastSend(), 1);
    assertEquals(500, q.maxQueued(), 1);
  }

  @Test
  void unansweredRequestsStayInFlight() {
    QueueGrowth q = QueueGrowth.of(new long[] {0, 10 * MS, 20 * MS}, new long[] {5 * MS});
    assertEquals(2, q.maxQueued());
    assertEquals(2, q.queuedAtLastSend());
    assertEquals(new QueueGrowth(0, 0, 0), QueueGrowth.of(new long[0], new long[0]));
  }

  @Test
  void slopeIsLeastSquares() {
    assertEquals(
        2.0, QueueGrowth.slope(new double[] {0, 1, 2, 3}, new double[] {1, 3, 5, 7}), 1e-12);
    assertEquals(0.0, QueueGrowth.slope(new double[] {1, 1}, new double[] {0, 5}), 0);
  }
}
