package io.armguard.bench;

import static io.armguard.bench.Statistics.round;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * What one {@code bench stream} configuration measured, as one JSON line: the streaming run's added
 * latency per released token and CPU share, and the reward model's cost per chatbot token of the
 * streaming path, of whole-reply MODERATE and of a chunked re-check, over the same texts.
 * Immutable.
 *
 * @param holdbackTokens the service's {@code stream.holdback.tokens}
 * @param streamBatching the service's {@code stream.score.batching}
 * @param batchSize the service's {@code batch.size}
 * @param batchMaxDelayMs the service's {@code batch.max.delay.ms}
 * @param replayed the streaming path's scoring alone, directly on an engine, per grouping ({@link
 *     StreamReplay}); may be empty
 * @param loadAverageBefore the 1-minute load average when the run started (a shared machine)
 * @param loadAverageAfter the same when it ended
 * @param randomModels whether the models were random stand-ins
 */
public record StreamBenchResult(
    StreamBenchmark.Settings settings,
    int holdbackTokens,
    String streamBatching,
    int batchSize,
    long batchMaxDelayMs,
    StreamBenchmark.Run run,
    RecheckBaseline.Cost whole,
    RecheckBaseline.Cost recheck,
    List<RecheckBaseline.Cost> replayed,
    double loadAverageBefore,
    double loadAverageAfter,
    boolean randomModels) {

  private static final Gson GSON =
      new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping().create();

  /** Whether every stream ended (its final chunk consumed within the drain timeout). */
  public boolean complete() {
    return run.finals() == settings.streams();
  }

  public String toJsonLine() {
    return GSON.toJson(toJson());
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("bench", "stream");
    o.addProperty("streams", settings.streams());
    o.addProperty("tokens_per_s", settings.tokensPerSecond());
    o.addProperty("offered_tokens_per_s", settings.streams() * settings.tokensPerSecond());
    o.addProperty("holdback_tokens", holdbackTokens);
    o.addProperty("stream_batching", streamBatching);
    o.addProperty("batch_size", batchSize);
    o.addProperty("batch_max_delay_ms", batchMaxDelayMs);
    o.addProperty("reply_tokens", run.replyTokens());
    o.addProperty("released_tokens", run.releasedTokens());
    o.addProperty("streams_complete", run.finals());
    o.add("actions", GSON.toJsonTree(run.actions()));
    double[] l = run.latenciesMs();
    o.addProperty("latency_p50_ms", round(Statistics.percentile(l, 0.50), 1));
    o.addProperty("latency_p99_ms", round(Statistics.percentile(l, 0.99), 1));
    o.addProperty("latency_max_ms", round(Statistics.percentile(l, 1.0), 1));
    o.addProperty("run_s", round(run.wallS(), 2));
    o.addProperty("cpu_share", round(run.cpuShare(), 3));
    // process CPU seconds per wall second (cores busy), the share above before dividing by cores
    o.addProperty(
        "cpu_s_per_wall_s", round(run.cpuShare() * Runtime.getRuntime().availableProcessors(), 3));
    o.addProperty("engine_busy_share", round(run.engine().nanos() / 1e9 / run.wallS(), 3));
    long tokens = run.replyTokens();
    o.add("streaming", cost(run.engine(), tokens, whole.engine()));
    o.add(whole.name(), cost(whole.engine(), tokens, whole.engine()));
    o.add(recheck.name(), cost(recheck.engine(), tokens, whole.engine()));
    for (RecheckBaseline.Cost c : replayed) {
      o.add(c.name(), cost(c.engine(), tokens, whole.engine()));
    }
    o.addProperty("load_average_before", round(loadAverageBefore, 2));
    o.addProperty("load_average_after", round(loadAverageAfter, 2));
    o.addProperty("cores", Runtime.getRuntime().availableProcessors());
    o.addProperty("random_models", randomModels);
    return o;
  }

  /**
   * A way's reward-model cost: engine ms per chatbot token, and token positions run per position of
   * the replies (1.0 = each reply token once, as whole-reply MODERATE), both also relative to the
   * whole-reply baseline.
   */
  private static JsonObject cost(MeteredEngine.Reading r, long tokens, MeteredEngine.Reading base) {
    JsonObject o = new JsonObject();
    o.addProperty("engine_ms_per_token", round(r.nanos() / 1e6 / Math.max(1, tokens), 3));
    o.addProperty("positions_per_position", round((double) r.positions() / base.positions(), 2));
    o.addProperty("ms_vs_whole_reply", round((double) r.nanos() / base.nanos(), 2));
    o.addProperty("engine_calls", r.calls());
    o.addProperty("texts_scored", r.texts());
    return o;
  }
}
