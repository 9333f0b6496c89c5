package io.armguard.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.armguard.bench.DirectCapacity;
import io.armguard.bench.DirectModeration;
import io.armguard.bench.OpenLoopBenchmark;
import io.armguard.config.ArmguardConfig;
import io.armguard.schema.GenerationRequest;
import io.armguard.streams.OutputCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * {@code bench pipeline --open-loop}: one fresh in-process pipeline per ({@code decode.scheduler}
 * setting, partition count), the same open-loop workload against each (after an unreported warm-up
 * at the first rate); with capacity fractions, the capacity is measured first ({@link
 * DirectCapacity}) or given, and each pipeline runs once per fraction of it. Prints one JSON line
 * per run, then per (partitions, rate) one with each setting's mean batch size and p99 relative to
 * the first setting's. Scheduler names go to the config unchanged (it validates them).
 */
final class OpenLoopRun {

  /**
   * What to run.
   *
   * @param workload rate (without fractions), requests, token range and seed; its partitions are
   *     replaced by each of {@code partitions}
   * @param fractions of capacity to offer; empty: offer {@code workload}'s rate
   * @param capacityRps the capacity when given (> 0); otherwise it is measured
   * @param capacityRounds measured rounds of the capacity (median reported)
   * @param capacityWarmupRounds unreported rounds first
   */
  record Plan(
      OpenLoopBenchmark.Settings workload,
      int warmupRequests,
      List<String> schedulers,
      List<Integer> partitions,
      List<Double> fractions,
      double capacityRps,
      int capacityRounds,
      int capacityWarmupRounds) {
    Plan {
      schedulers = List.copyOf(schedulers);
      partitions = List.copyOf(partitions);
      fractions = List.copyOf(fractions);
      if (schedulers.isEmpty() || partitions.isEmpty()) {
        throw new IllegalArgumentException("open loop needs a scheduler and a partition count");
      }
      for (double f : fractions) {
        if (!(f > 0)) {
          throw new IllegalArgumentException("capacity fractions must be > 0: " + fractions);
        }
      }
    }

    /** The rates to offer, in order, for a measured or given capacity. */
    List<Double> rates(double capacity) {
      return fractions.isEmpty()
          ? List.of(workload.ratePerSecond())
          : fractions.stream().map(f -> f * capacity).toList();
    }
  }

  private static final Gson GSON = new GsonBuilder().serializeNulls().create();

  private final BenchConfigOption serviceConfig;
  private final Plan plan;

  OpenLoopRun(BenchConfigOption serviceConfig, Plan plan) {
    this.serviceConfig = serviceConfig;
    this.plan = plan;
  }

  /** Runs every setting; exit code 0 when every run was answered completely. */
  int call() throws Exception {
    ArmguardConfig base = serviceConfig.load(Map.of(ArmguardConfig.HTTP_PORT, "-1"));
    for (String scheduler : plan.schedulers()) {
      base.with(Map.of(ArmguardConfig.DECODE_SCHEDULER, scheduler)); // fails fast when unknown
    }
    // (partitions, rate index) -> scheduler -> result
    Map<String, Map<String, OpenLoopBenchmark.Result>> results = new LinkedHashMap<>();
    Map<String, Map<String, Object>> contexts = new LinkedHashMap<>();
    try (ServiceModels models = ServiceModels.load(base, true, System.err)) {
      double capacity = plan.fractions().isEmpty() ? Double.NaN : capacity(base, models);
      List<Double> rates = plan.rates(capacity);
      for (String scheduler : plan.schedulers()) {
        for (int partitions : plan.partitions()) {
          ArmguardConfig config =
              base.with(
                  Map.of(
                      ArmguardConfig.APPLICATION_ID,
                      "armguard-bench-" + scheduler + "-p" + partitions,
                      ArmguardConfig.DECODE_SCHEDULER,
                      scheduler));
          OpenLoopBenchmark.Settings workload =
              new OpenLoopBenchmark.Settings(
                  plan.workload().ratePerSecond(),
                  plan.workload().requests(),
                  partitions,
                  plan.workload().maxNewTokens(),
                  plan.workload().seed());
          try (EmbeddedPipeline pipeline =
                  EmbeddedPipeline.start(config, models, partitions, System.err);
              KafkaProducer<String, GenerationRequest> producer = pipeline.requestProducer();
              OutputCollector collector =
                  new OutputCollector(pipeline.config(), pipeline.serdes(), partitions)) {
            OpenLoopBenchmark bench = new OpenLoopBenchmark(pipeline.config(), producer, collector);
            int received = 0;
            if (plan.warmupRequests() > 0) {
              bench.run(
                  workload.at(rates.get(0), plan.warmupRequests(), workload.seed() + 1),
                  scheduler,
                  "warmup-",
                  0);
              received += plan.warmupRequests();
            }
            for (int k = 0; k < rates.size(); k++) {
              OpenLoopBenchmark.Result r =
                  bench.run(
                      workload.at(rates.get(k), workload.requests(), workload.seed()),
                      scheduler,
                      "measured-" + k + "-",
                      received);
              received += workload.requests();
              Map<String, Object> context = new LinkedHashMap<>();
              if (!plan.fractions().isEmpty()) {
                context.put("capacity_fraction", plan.fractions().get(k));
                context.put("capacity_rps", round(capacity));
              }
              String key = partitions + "/" + k;
              contexts.putIfAbsent(key, context);
              results.computeIfAbsent(key, x -> new LinkedHashMap<>()).put(scheduler, r);
              System.out.println(r.toJsonLine(context));
              System.out.flush();
            }
          }
        }
      }
    }
    results.forEach(
        (key, bySchedulers) -> System.out.println(ratios(bySchedulers, contexts.get(key))));
    return results.values().stream()
            .flatMap(m -> m.values().stream())
            .allMatch(OpenLoopBenchmark.Result::complete)
        ? 0
        : 1;
  }

  /** The given capacity, or the direct closed-loop one, printed as a JSON line either way. */
  private double capacity(ArmguardConfig base, ServiceModels models) {
    if (plan.capacityRps() > 0) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("bench", "pipeline-open-loop-capacity");
      m.put("method", "given");
      m.put("capacity_rps", plan.capacityRps());
      System.out.println(GSON.toJson(m));
      return plan.capacityRps();
    }
    try (DirectModeration direct = new DirectModeration(base, models.newEngine())) {
      DirectCapacity c =
          DirectCapacity.measure(
              direct,
              plan.workload().maxNewTokens(),
              plan.workload().requests(),
              plan.capacityRounds(),
              plan.capacityWarmupRounds(),
              plan.workload().seed());
      System.out.println(c.toJsonLine());
      System.out.flush();
      return c.rps();
    }
  }

  /** Each scheduler's mean batch size and p99 against the first's, at one (partitions, rate). */
  static String ratios(
      Map<String, OpenLoopBenchmark.Result> bySchedulers, Map<String, Object> context) {
    OpenLoopBenchmark.Result first = bySchedulers.values().iterator().next();
    Map<String, Object> ratios = new LinkedHashMap<>();
    ratios.put("bench", "pipeline-open-loop-ratios");
    ratios.put("baseline", first.scheduler());
    ratios.put("partitions", first.settings().partitions());
    ratios.putAll(context);
    bySchedulers.forEach(
        (s, r) -> {
          ratios.put(s + "_mean_batch_size", r.meanBatchSize());
          ratios.put(s + "_batch_ratio", ratio(r.meanBatchSize(), first.meanBatchSize()));
          ratios.put(s + "_p99_ratio", ratio(r.p99Ms(), first.p99Ms()));
        });
    return GSON.toJson(ratios);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** a / b to 3 decimals; null (not NaN, which is no JSON) when it is not a number. */
  private static Double ratio(double a, double b) {
    double r = a / b;
    return Double.isFinite(r) ? Math.round(r * 1000) / 1000.0 : null;
  }
}
