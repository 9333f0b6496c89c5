package io.armguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchPipelineCommandTest {

  @Test
  void kafkaTimeSplitsARoundAroundItsBatches() {
    // Sent at t=1000; batch A decoded 1010..1110 (forwarded at 1110), batch B 1125..1225.
    // The consumer saw the last completion at 1240.
    BenchPipelineCommand.KafkaTime t =
        BenchPipelineCommand.KafkaTime.of(1000, 1240, Map.of(1110L, 100L, 1225L, 100L));
    assertEquals(10.0, t.headMs());
    assertEquals(15.0, t.betweenMs());
    assertEquals(15.0, t.tailMs());
  }

  @Test
  void kafkaTimeOfARoundWithoutBatchesIsUnknown() {
    assertTrue(Double.isNaN(BenchPipelineCommand.KafkaTime.of(0, 10, Map.of()).headMs()));
  }

  @Test
  void medianAndPercentile() {
    assertEquals(2.0, BenchPipelineCommand.median(new double[] {3, 1, 2}));
    assertEquals(2.5, BenchPipelineCommand.median(new double[] {4, 1, 2, 3}));
    double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertEquals(5.0, BenchPipelineCommand.percentile(sorted, 0.5));
    assertEquals(10.0, BenchPipelineCommand.percentile(sorted, 0.99));
  }
}
