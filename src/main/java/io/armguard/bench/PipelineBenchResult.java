package io.armguard.bench;

import static io.armguard.bench.Statistics.median;
import static io.armguard.bench.Statistics.percentile;
import static io.armguard.bench.Statistics.round;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.armguard.config.ArmguardConfig;
import java.util.List;

/**
 * What {@code bench pipeline} measured: throughput through Kafka and directly (medians over the
 * rounds), end-to-end latency percentiles, and where the pipeline's extra time went (per round,
 * averaged). Immutable.
 */
public final class PipelineBenchResult {
  private static final Gson GSON =
      new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping().create();

  private final PipelineBenchmark.Settings settings;
  private final int batchSize;
  private final long commitIntervalMs;
  private final String device;
  private final boolean randomModels;
  private final double[] directS;
  private final double[] directMainS;
  private final double[] pipelineS;
  private final double[] latenciesMs;
  private final int batches;
  private final double decodeS;
  private final double headMs;
  private final double betweenMs;
  private final double tailMs;
  private final boolean complete;

  PipelineBenchResult(
      PipelineBenchmark.Settings settings,
      ArmguardConfig running,
      double[] directS,
      double[] directMainS,
      List<KafkaRoundTrip.Round> rounds,
      boolean randomModels) {
    this.settings = settings;
    this.batchSize = running.batchSize();
    this.commitIntervalMs = running.commitIntervalMs();
    this.device = running.string(ArmguardConfig.DEVICE);
    this.randomModels = randomModels;
    this.directS = directS.clone();
    this.directMainS = directMainS.clone();
    this.pipelineS = rounds.stream().mapToDouble(KafkaRoundTrip.Round::seconds).toArray();
    this.latenciesMs =
        rounds.stream()
            .flatMap(r -> r.latenciesMs().stream())
            .mapToDouble(Double::doubleValue)
            .sorted()
            .toArray();
    this.batches = rounds.stream().mapToInt(r -> r.batches().size()).sum();
    this.decodeS = rounds.stream().mapToDouble(KafkaRoundTrip.Round::decodeSeconds).sum();
    this.headMs = rounds.stream().mapToDouble(r -> r.kafka().headMs()).average().orElse(Double.NaN);
    this.betweenMs =
        rounds.stream().mapToDouble(r -> r.kafka().betweenMs()).average().orElse(Double.NaN);
    this.tailMs = rounds.stream().mapToDouble(r -> r.kafka().tailMs()).average().orElse(Double.NaN);
    this.complete = rounds.stream().allMatch(KafkaRoundTrip.Round::complete);
  }

  /** Whether every request of every round was answered. */
  public boolean complete() {
    return complete;
  }

  public double pipelineRps() {
    return settings.requests() / median(pipelineS);
  }

  public double directRps() {
    return settings.requests() / median(directS);
  }

  public double directMainThreadRps() {
    return settings.requests() / median(directMainS);
  }

  /** The {@code q}-quantile of request-produced-to-completion-consumed latency, ms. */
  public double latencyMs(double q) {
    return percentile(latenciesMs, q);
  }

  /** The result as the one JSON object {@code bench pipeline} prints. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("bench", "pipeline");
    o.addProperty("requests", settings.requests());
    o.addProperty("rounds", settings.rounds());
    o.addProperty("batch_size", batchSize);
    o.addProperty("max_new_tokens", settings.maxNewTokens());
    o.addProperty("commit_interval_ms", commitIntervalMs);
    o.addProperty("pipeline_rps", round(pipelineRps(), 2));
    o.addProperty("direct_rps", round(directRps(), 2));
    o.addProperty("ratio", round(pipelineRps() / directRps(), 3));
    o.addProperty("direct_main_thread_rps", round(directMainThreadRps(), 2));
    o.addProperty("ratio_vs_main_thread", round(pipelineRps() / directMainThreadRps(), 3));
    o.addProperty("p50_ms", round(latencyMs(0.50), 1));
    o.addProperty("p99_ms", round(latencyMs(0.99), 1));
    o.add("pipeline_s", GSON.toJsonTree(round(pipelineS, 3)));
    o.add("direct_s", GSON.toJsonTree(round(directS, 3)));
    o.add("direct_main_thread_s", GSON.toJsonTree(round(directMainS, 3)));
    o.addProperty("pipeline_batches", batches);
    o.addProperty("pipeline_decode_s", round(decodeS, 3));
    o.addProperty("kafka_head_ms", round(headMs, 1));
    o.addProperty("kafka_between_batches_ms", round(betweenMs, 1));
    o.addProperty("kafka_tail_ms", round(tailMs, 1));
    o.addProperty("random_models", randomModels);
    o.addProperty("device", device);
    return o;
  }

  /** {@link #toJson()} as one line. */
  public String toJsonLine() {
    return GSON.toJson(toJson());
  }
}
