package io.armguard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenLoopBenchmarkTest {

  @Test
  void batchesAreCountedFromEachRequestsBatchSize() {
    List<Integer> sizes = new ArrayList<>(Collections.nCopies(16, 8)); // two batches of 8
    sizes.addAll(Collections.nCopies(3, 3)); // one of 3
    sizes.add(1); // one alone
    assertEquals(4.0, OpenLoopBenchmark.batches(sizes), 1e-9);
    assertEquals(0.0, OpenLoopBenchmark.batches(List.of()), 0.0);
  }

  @Test
  void settingsRejectANonPositiveRate() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new OpenLoopBenchmark.Settings(0, 10, 4, 16, 1));
  }

  @Test
  void latencyIsSplitIntoShortAndLongRequests() {
    List<Double> ms = List.of(10.0, 20.0, 30.0, 100.0, 200.0);
    List<Integer> tokens = List.of(4, 16, 8, 17, 64);
    OpenLoopBenchmark.Latency[] split = OpenLoopBenchmark.Latency.split(ms, tokens);
    assertEquals(new OpenLoopBenchmark.Latency(3, 20.0, 30.0), split[0]);
    assertEquals(new OpenLoopBenchmark.Latency(2, 100.0, 200.0), split[1]);
    OpenLoopBenchmark.Latency none = OpenLoopBenchmark.Latency.split(ms, List.of(1, 1, 1, 1, 1))[1];
    assertEquals(0, none.requests());
    org.junit.jupiter.api.Assertions.assertTrue(Double.isNaN(none.p99Ms()));
  }

  @Test
  void settingsDrawTheirTokensFromTheSeed() {
    OpenLoopBenchmark.Settings mixed =
        new OpenLoopBenchmark.Settings(10, 50, 4, new TokenRange(4, 64), 42);
    org.junit.jupiter.api.Assertions.assertArrayEquals(mixed.tokens(), mixed.tokens());
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        mixed.tokens(), mixed.at(99, 50, 42).tokens());
    assertEquals(TokenRange.of(16), new OpenLoopBenchmark.Settings(1, 1, 1, 16, 1).maxNewTokens());
    assertEquals(99.0, mixed.at(99, 10, 7).ratePerSecond(), 0);
    assertEquals(4, mixed.at(99, 10, 7).partitions());
  }
}
