package io.armguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.armguard.bench.OpenLoopBenchmark;
import io.armguard.bench.QueueGrowth;
import io.armguard.bench.TokenRange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchPipelineCommandTest {

  private static BenchPipelineCommand parse(String... args) {
    BenchPipelineCommand command = new BenchPipelineCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void openLoopOptionsParse() {
    BenchPipelineCommand c =
        parse(
            "--open-loop",
            "--max-new-tokens",
            "4-64",
            "--capacity-fractions",
            "0.25,0.5,0.8",
            "--partitions",
            "1,8",
            "--schedulers",
            "task,instance,continuous");
    assertEquals(new TokenRange(4, 64), c.maxNewTokens);
    assertEquals(List.of(0.25, 0.5, 0.8), c.capacityFractions);
    assertEquals(List.of(1, 8), c.partitions);
    // names pass through unchanged: the config, not the command, knows which are valid
    assertEquals(List.of("task", "instance", "continuous"), c.schedulers);
  }

  @Test
  void defaultsKeepTheEarlierOpenLoop() {
    BenchPipelineCommand c = parse("--open-loop");
    assertEquals(TokenRange.of(16), c.maxNewTokens);
    assertEquals(List.of(4), c.partitions);
    assertTrue(c.capacityFractions.isEmpty());
    assertEquals(List.of("task", "instance", "continuous"), c.schedulers);
  }

  @Test
  void aBadRangeIsAParameterError() {
    assertThrows(CommandLine.ParameterException.class, () -> parse("--max-new-tokens", "64-4"));
  }

  @Test
  void ratesAreFractionsOfCapacityOrTheGivenRate() {
    OpenLoopBenchmark.Settings workload =
        new OpenLoopBenchmark.Settings(25, 100, 4, new TokenRange(4, 64), 42);
    OpenLoopRun.Plan fixed =
        new OpenLoopRun.Plan(workload, 0, List.of("task"), List.of(4), List.of(), 0, 3, 1);
    assertEquals(List.of(25.0), fixed.rates(Double.NaN));
    OpenLoopRun.Plan fractions =
        new OpenLoopRun.Plan(
            workload, 0, List.of("task"), List.of(1, 8), List.of(0.25, 0.5, 0.8), 0, 3, 1);
    assertEquals(List.of(10.0, 20.0, 32.0), fractions.rates(40));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new OpenLoopRun.Plan(workload, 0, List.of("task"), List.of(4), List.of(0.0), 0, 3, 1));
  }

  @Test
  void ratiosCompareEachSchedulerWithTheFirst() {
    Map<String, OpenLoopBenchmark.Result> results = new LinkedHashMap<>();
    results.put("task", result("task", 1.25, 400));
    results.put("continuous", result("continuous", 5.0, 100));
    JsonObject line =
        JsonParser.parseString(OpenLoopRun.ratios(results, Map.of("capacity_fraction", 0.5)))
            .getAsJsonObject();
    assertEquals("pipeline-open-loop-ratios", line.get("bench").getAsString());
    assertEquals("task", line.get("baseline").getAsString());
    assertEquals(8, line.get("partitions").getAsInt());
    assertEquals(0.5, line.get("capacity_fraction").getAsDouble(), 0);
    assertEquals(4.0, line.get("continuous_batch_ratio").getAsDouble(), 0);
    assertEquals(0.25, line.get("continuous_p99_ratio").getAsDouble(), 0);
    assertEquals(1.0, line.get("task_p99_ratio").getAsDouble(), 0);
  }

  @Test
  void aRunsLineCarriesTheSplitAndTheQueue() {
    JsonObject line =
        JsonParser.parseString(
                result("continuous", 5.0, 100).toJsonLine(Map.of("capacity_fraction", 0.8)))
            .getAsJsonObject();
    assertEquals("4-64", line.get("max_new_tokens").getAsString());
    assertEquals(0.8, line.get("capacity_fraction").getAsDouble(), 0);
    assertEquals(30.0, line.get("short_p99_ms").getAsDouble(), 0);
    assertTrue(line.get("long_p50_ms").isJsonNull()); // no long requests: null, not NaN
    assertEquals(7, line.get("max_queued").getAsInt());
    assertEquals(0.5, line.get("queue_slope_per_s").getAsDouble(), 0);
  }

  private static OpenLoopBenchmark.Result result(String scheduler, double batch, double p99) {
    return new OpenLoopBenchmark.Result(
        scheduler,
        new OpenLoopBenchmark.Settings(10, 20, 8, new TokenRange(4, 64), 42),
        10,
        9.5,
        p99 / 2,
        p99,
        batch,
        8,
        20 / batch,
        true,
        new OpenLoopBenchmark.Latency(20, 10, 30),
        new OpenLoopBenchmark.Latency(0, Double.NaN, Double.NaN),
        new QueueGrowth(7, 3, 0.5));
  }
}
