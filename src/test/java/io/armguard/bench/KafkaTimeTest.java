package io.armguard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.bench.BatchTiming.RequestTiming;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaTimeTest {

  /** {@code n} requests of one batch from offset {@code first}. */
  private static List<RequestTiming> batch(long first, int n, long decodeMs, long forwardedMs) {
    List<RequestTiming> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new RequestTiming(0, first + i, n, decodeMs, forwardedMs));
    }
    return out;
  }

  @Test
  void aRoundIsSplitAroundItsBatches() {
    // Sent at t=1000; batch A decoded 1010..1110 (forwarded at 1110), batch B 1125..1225.
    // The consumer saw the last completion at 1240.
    List<RequestTiming> requests = new ArrayList<>(batch(0, 4, 100, 1110));
    requests.addAll(batch(4, 4, 100, 1225));
    KafkaTime t = KafkaTime.of(1000, 1240, BatchTiming.group(requests));
    assertEquals(10.0, t.headMs());
    assertEquals(15.0, t.betweenMs());
    assertEquals(15.0, t.tailMs());
  }

  @Test
  void twoBatchesForwardedInTheSameMillisecondStayTwo() {
    // the worker decoded A (1010..1110) and B (1110..1210); the stream thread forwarded both at
    // 1210, so their audits agree on everything but the requests' offsets
    List<RequestTiming> requests = new ArrayList<>(batch(0, 2, 100, 1210));
    requests.addAll(batch(2, 2, 100, 1210));
    List<BatchTiming> batches = BatchTiming.group(requests);
    assertEquals(2, batches.size());
    assertEquals(List.of(0L, 2L), batches.stream().map(BatchTiming::firstOffset).toList());
    KafkaTime t = KafkaTime.of(1000, 1230, batches);
    assertEquals(110.0, t.headMs());
    assertEquals(-100.0, t.betweenMs()); // B's decode overlapped A's wait for the forward
    assertEquals(20.0, t.tailMs());
  }

  @Test
  void batchesAreFoundWhateverOrderTheAuditsArriveIn() {
    List<RequestTiming> requests = new ArrayList<>(batch(3, 3, 50, 2000));
    requests.addAll(batch(0, 3, 40, 1900));
    java.util.Collections.reverse(requests);
    List<BatchTiming> batches = BatchTiming.group(requests);
    assertEquals(
        List.of(new BatchTiming(0, 0, 3, 40, 1900), new BatchTiming(0, 3, 3, 50, 2000)), batches);
  }

  @Test
  void aRoundWithoutBatchesIsUnknown() {
    assertTrue(Double.isNaN(KafkaTime.of(0, 10, List.of()).headMs()));
  }
}
