package io.armguard.cli;

import com.google.gson.Gson;
import io.armguard.bench.OpenLoopBenchmark;
import io.armguard.config.ArmguardConfig;
import io.armguard.schema.GenerationRequest;
import io.armguard.streams.OutputCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * {@code bench pipeline --open-loop}: one fresh in-process pipeline per {@code decode.scheduler}
 * setting, the same open-loop workload against each (after an unreported warm-up at the same rate);
 * prints one JSON line per setting, then one with each setting's mean batch size and p99 relative
 * to the first setting's.
 */
final class OpenLoopRun {

  private final BenchConfigOption serviceConfig;
  private final OpenLoopBenchmark.Settings settings;
  private final int warmupRequests;
  private final List<String> schedulers;

  OpenLoopRun(
      BenchConfigOption serviceConfig,
      OpenLoopBenchmark.Settings settings,
      int warmupRequests,
      List<String> schedulers) {
    this.serviceConfig = serviceConfig;
    this.settings = settings;
    this.warmupRequests = warmupRequests;
    this.schedulers = List.copyOf(schedulers);
  }

  /** Runs every setting; exit code 0 when every run was answered completely. */
  int call() throws Exception {
    ArmguardConfig base = serviceConfig.load(Map.of(ArmguardConfig.HTTP_PORT, "-1"));
    Map<String, OpenLoopBenchmark.Result> results = new LinkedHashMap<>();
    try (ServiceModels models = ServiceModels.load(base, true, System.err)) {
      for (String scheduler : schedulers) {
        ArmguardConfig config =
            base.with(
                Map.of(
                    ArmguardConfig.APPLICATION_ID,
                    "armguard-bench-" + scheduler,
                    ArmguardConfig.DECODE_SCHEDULER,
                    scheduler));
        try (EmbeddedPipeline pipeline =
                EmbeddedPipeline.start(config, models, settings.partitions(), System.err);
            KafkaProducer<String, GenerationRequest> producer = pipeline.requestProducer();
            OutputCollector collector =
                new OutputCollector(pipeline.config(), pipeline.serdes(), settings.partitions())) {
          OpenLoopBenchmark bench = new OpenLoopBenchmark(pipeline.config(), producer, collector);
          if (warmupRequests > 0) {
            bench.run(
                new OpenLoopBenchmark.Settings(
                    settings.ratePerSecond(),
                    warmupRequests,
                    settings.partitions(),
                    settings.maxNewTokens(),
                    settings.seed() + 1),
                scheduler,
                "warmup-",
                0);
          }
          OpenLoopBenchmark.Result r = bench.run(settings, scheduler, "measured-", warmupRequests);
          results.put(scheduler, r);
          System.out.println(r.toJsonLine());
        }
      }
    }
    OpenLoopBenchmark.Result first = results.values().iterator().next();
    Map<String, Object> ratios = new LinkedHashMap<>();
    ratios.put("bench", "pipeline-open-loop-ratios");
    ratios.put("baseline", first.scheduler());
    results.forEach(
        (s, r) -> {
          ratios.put(s + "_mean_batch_size", r.meanBatchSize());
          ratios.put(s + "_batch_ratio", ratio(r.meanBatchSize(), first.meanBatchSize()));
          ratios.put(s + "_p99_ratio", ratio(r.p99Ms(), first.p99Ms()));
        });
    System.out.println(new Gson().toJson(ratios));
    return results.values().stream().allMatch(OpenLoopBenchmark.Result::complete) ? 0 : 1;
  }

  private static double ratio(double a, double b) {
    return b == 0 ? Double.NaN : Math.round(a / b * 1000) / 1000.0;
  }
}
