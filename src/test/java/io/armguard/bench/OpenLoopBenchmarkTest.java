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
}
