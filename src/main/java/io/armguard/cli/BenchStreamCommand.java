package io.armguard.cli;

import io.armguard.bench.MeteredEngine;
import io.armguard.bench.RecheckBaseline;
import io.armguard.bench.Statistics;
import io.armguard.bench.StreamBenchResult;
import io.armguard.bench.StreamBenchmark;
import io.armguard.bench.StreamWorkload;
import io.armguard.config.ArmguardConfig;
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
          + " once per --holdback value, and score the same replies directly as whole-reply"
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
      for (int holdback : holdbacks) {
        ArmguardConfig config =
            base.with(Map.of(ArmguardConfig.STREAM_HOLDBACK_TOKENS, Integer.toString(holdback)));
        List<MeteredEngine> metered = new CopyOnWriteArrayList<>();
        double load0 = loadAverage();
        StreamBenchmark.Run run;
        try (EmbeddedPipeline pipeline =
                EmbeddedPipeline.start(
                    config,
                    models,
                    models.newPool(
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
                config.batchSize(),
                config.batchMaxDelayMs(),
                run,
                whole,
                recheck,
                load0,
                loadAverage(),
                models.random());
        allComplete &= result.complete();
        if (!json) {
          System.err.printf(
              Locale.ROOT,
              "hold-back %d: %d/%d streams done, added latency p50 %.0f ms p99 %.0f ms, cpu %.2f%n",
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
