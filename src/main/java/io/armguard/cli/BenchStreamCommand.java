package io.armguard.cli;

import io.armguard.bench.MeteredEngine;
import io.armguard.bench.RecheckBaseline;
import io.armguard.bench.Statistics;
import io.armguard.bench.StreamBenchResult;
import io.armguard.bench.StreamBenchmark;
import io.armguard.bench.StreamReplay;
import io.armguard.bench.StreamWorkload;
import io.armguard.config.ArmguardConfig;
import io.armguard.decode.StreamBatching;
import io.armguard.schema.ReleasedChunk;
import io.armguard.schema.ReplyChunk;
import io.armguard.streams.StreamSerdes;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code armguard bench stream}: N replies streamed at a token rate each through the service on an
 * in-process broker, once per hold-back; prints one JSON line per hold-back ({@link
 * StreamBenchResult}). Parses options and starts the pipelines; the measuring is {@link
 * StreamBenchmark}'s and {@link RecheckBaseline}'s.
 */
@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    description = {
      "Stream --streams replies at --rate chatbot tokens/s each (one token per chunk) through an"
          + " in-process broker and the armguard streaming topology (EOS, read_committed reader),"
          + " once per --holdback value (and --batching value), and score the same replies directly as whole-reply"
          + " MODERATE and as a chunked re-check (the whole reply so far every --recheck-every"
          + " tokens).",
      "Prints per hold-back {\"latency_p50_ms\",\"latency_p99_ms\" (chatbot sent a token ->"
          + " user consumed it), \"cpu_share\", \"engine_busy_share\", and for \"streaming\","
          + " \"whole_reply\", \"recheck_every_N\": \"engine_ms_per_token\","
          + " \"positions_per_position\", \"ms_vs_whole_reply\", ...}."
    })
public final class BenchStreamCommand implements Callable<Integer> {

  @Option(names = "--streams", defaultValue = "100", description = "N (default: ${DEFAULT-VALUE})")
  int streams;

  @Option(
      names = "--rate",
      defaultValue = "20",
      description = "chatbot tokens per second per stream (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(
      names = "--holdback",
      split = ",",
      defaultValue = "0,8",
      description = "stream.holdback.tokens values, one run each (default: ${DEFAULT-VALUE})")
  List<Integer> holdbacks;

  @Option(
      names = "--batching",
      split = ",",
      description =
          "stream.score.batching values (by-new-tokens, padded, single), one run per value and"
              + " hold-back (default: the configured one)")
  List<String> batchings;

  @Option(
      names = "--replay-tokens-per-call",
      defaultValue = "2",
      description =
          "also follow the same replies directly on an engine per stream.score.batching value,"
              + " every stream growing by this many tokens per scoring call (0 = skip; default:"
              + " ${DEFAULT-VALUE})")
  int replayTokensPerCall;

  @Option(
      names = "--recheck-every",
      defaultValue = "50",
      description = "tokens between the baseline's re-checks (default: ${DEFAULT-VALUE})")
  int recheckEvery;

  @Option(
      names = "--drain-timeout",
      defaultValue = "PT2M",
      description =
          "wait for the last final chunk after the last chunk was sent, ISO-8601"
              + " (default: ${DEFAULT-VALUE})")
  Duration drainTimeout;

  @Mixin BenchConfigOption serviceConfig;

  @Option(
      names = "--json",
      description = "JSON lines only (a human summary goes to stderr otherwise)")
  boolean json;

  @Override
  public Integer call() throws Exception {
    org.apache.logging.log4j.core.config.Configurator.setLevel(
        "io.armguard", org.apache.logging.log4j.Level.WARN);
    ArmguardConfig base =
        serviceConfig.load(
            Map.of(
                ArmguardConfig.APPLICATION_ID, "armguard-bench-stream",
                ArmguardConfig.HTTP_PORT, "-1",
                ArmguardConfig.STREAM_ENABLED, "true"));
    StreamBenchmark.Settings settings = new StreamBenchmark.Settings(streams, rate, drainTimeout);
    List<StreamWorkload.Reply> replies = StreamWorkload.replies(streams);
    List<String> texts = replies.stream().map(StreamWorkload.Reply::text).toList();
    boolean allComplete = true;
    try (ServiceModels models = ServiceModels.load(base, true, System.err)) {
      checkFits(models, base, replies);
      List<String> batchingValues =
          batchings == null || batchings.isEmpty()
              ? List.of(base.string(ArmguardConfig.STREAM_SCORE_BATCHING))
              : batchings;
      // the direct replays do not depend on the hold-back: measured once, reported on every line
      List<RecheckBaseline.Cost> replayed =
          replayTokensPerCall > 0 ? replays(models, texts, base.batchSize()) : List.of();
      List<Map.Entry<String, Integer>> runs = new java.util.ArrayList<>();
      batchingValues.forEach(v -> holdbacks.forEach(h -> runs.add(Map.entry(v, h))));
      for (Map.Entry<String, Integer> each : runs) {
        String batchingValue = each.getKey();
        int holdback = each.getValue();
        ArmguardConfig config =
            base.with(
                Map.of(
                    ArmguardConfig.STREAM_HOLDBACK_TOKENS,
                    Integer.toString(holdback),
                    ArmguardConfig.STREAM_SCORE_BATCHING,
                    batchingValue));
        StreamBatching batching =
            StreamBatching.fromConfig(config.string(ArmguardConfig.STREAM_SCORE_BATCHING));
        List<MeteredEngine> metered = new CopyOnWriteArrayList<>();
        double load0 = loadAverage();
        StreamBenchmark.Run run;
        try (EmbeddedPipeline pipeline =
                EmbeddedPipeline.start(
                    config,
                    models,
                    models.newPool(
                        batching,
                        e -> {
                          MeteredEngine m = new MeteredEngine(e);
                          metered.add(m);
                          return m;
                        }),
                    1,
                    System.err);
            KafkaProducer<String, ReplyChunk> producer =
                pipeline.chunkProducer(StreamSerdes.fromConfig(pipeline.config()));
            KafkaConsumer<String, ReleasedChunk> reader =
                pipeline.releasedReader(StreamSerdes.fromConfig(pipeline.config()))) {
          StreamBenchmark bench =
              new StreamBenchmark(
                  settings,
                  pipeline.config().string(ArmguardConfig.TOPIC_STREAM_IN),
                  producer,
                  reader,
                  () -> sum(metered));
          // warm-up (unreported): the JIT compiles the hot paths, the engine allocates its caches
          new StreamBenchmark(
                  new StreamBenchmark.Settings(Math.min(4, streams), rate, drainTimeout),
                  pipeline.config().string(ArmguardConfig.TOPIC_STREAM_IN),
                  producer,
                  reader,
                  () -> sum(metered))
              .run("warmup-", replies);
          run = bench.run("h" + holdback + "-", replies);
        }
        RecheckBaseline.Cost whole;
        RecheckBaseline.Cost recheck;
        try (MeteredEngine direct = new MeteredEngine(models.newEngine())) {
          RecheckBaseline baseline = new RecheckBaseline(direct, config.batchSize());
          baseline.wholeReply(texts.subList(0, Math.min(4, texts.size()))); // warm-up
          whole = baseline.wholeReply(texts);
          recheck = baseline.chunkedRecheck(texts, recheckEvery);
        }
        StreamBenchResult result =
            new StreamBenchResult(
                settings,
                holdback,
                batching.configName(),
                config.batchSize(),
                config.batchMaxDelayMs(),
                run,
                whole,
                recheck,
                replayed,
                load0,
                loadAverage(),
                models.random());
        allComplete &= result.complete();
        if (!json) {
          System.err.printf(
              Locale.ROOT,
              "%s, hold-back %d: %d/%d streams done, added latency p50 %.0f ms p99 %.0f ms,"
                  + " cpu %.2f%n",
              batching.configName(),
              holdback,
              run.finals(),
              streams,
              Statistics.percentile(run.latenciesMs(), 0.5),
              Statistics.percentile(run.latenciesMs(), 0.99),
              run.cpuShare());
        }
        System.out.println(result.toJsonLine());
      }
    }
    return allComplete ? 0 : 1;
  }

  /**
   * Fails before anything runs when a reply would not fit the model as the service checks it (BOS +
   * reply, and under {@code stream.on.flag=rewrite} the prompt and a full completion): such a
   * stream would be closed as context-full and measure nothing.
   */
  private static void checkFits(
      ServiceModels models, ArmguardConfig config, List<StreamWorkload.Reply> replies) {
    boolean rewrite = "rewrite".equalsIgnoreCase(config.string(ArmguardConfig.STREAM_ON_FLAG));
    try (var engine = models.newEngine()) {
      for (StreamWorkload.Reply r : replies) {
        int need =
            engine.countTokens(r.text())
                + 1
                + (rewrite ? engine.countTokens(r.prompt()) + config.decodeMaxNewTokens() : 0);
        if (need > engine.contextSize()) {
          throw new IllegalArgumentException(
              "a reply needs "
                  + need
                  + " tokens (BOS + reply"
                  + (rewrite ? " + prompt + decode.max.new.tokens" : "")
                  + "), more than the model's context of "
                  + engine.contextSize()
                  + "; use models with a longer context");
        }
      }
    }
  }

  /**
   * The streaming path's scoring alone per grouping ({@link StreamReplay}), each on a fresh engine
   * after a warm-up; run in the order of {@link StreamBatching#values()} and then reversed, keeping
   * each grouping's faster run (a shared machine's load changes during a run).
   */
  private List<RecheckBaseline.Cost> replays(
      ServiceModels models, List<String> texts, int batchSize) {
    StreamReplay replay = new StreamReplay(batchSize, replayTokensPerCall);
    Map<StreamBatching, RecheckBaseline.Cost> best = new java.util.EnumMap<>(StreamBatching.class);
    List<StreamBatching> order = new java.util.ArrayList<>(List.of(StreamBatching.values()));
    List<StreamBatching> reversed = new java.util.ArrayList<>(order);
    java.util.Collections.reverse(reversed);
    order.addAll(reversed);
    for (StreamBatching b : order) {
      try (MeteredEngine engine = new MeteredEngine(models.newEngine(b))) {
        String name = "direct_stream_" + b.configName().replace('-', '_');
        replay.run(name, engine, texts.subList(0, Math.min(4, texts.size()))); // warm-up
        RecheckBaseline.Cost c = replay.run(name, engine, texts);
        best.merge(b, c, (x, y) -> x.engine().nanos() <= y.engine().nanos() ? x : y);
      }
    }
    return List.copyOf(best.values());
  }

  private static MeteredEngine.Reading sum(List<MeteredEngine> engines) {
    MeteredEngine.Reading total = new MeteredEngine.Reading(0, 0, 0, 0);
    for (MeteredEngine m : engines) {
      MeteredEngine.Reading r = m.reading();
      total =
          new MeteredEngine.Reading(
              total.calls() + r.calls(),
              total.texts() + r.texts(),
              total.positions() + r.positions(),
              total.nanos() + r.nanos());
    }
    return total;
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
