package io.armguard.cli;

import io.armguard.bench.DirectModeration;
import io.armguard.bench.KafkaRoundTrip;
import io.armguard.bench.OpenLoopBenchmark;
import io.armguard.bench.PipelineBenchResult;
import io.armguard.bench.PipelineBenchmark;
import io.armguard.config.ArmguardConfig;
import io.armguard.schema.GenerationRequest;
import io.armguard.streams.OutputCollector;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code armguard bench pipeline}: the same workload decoded through Kafka (in-process broker,
 * micro-batching topology, exactly-once) and directly (the same moderator and engine in batches of
 * {@code batch.size}, no Kafka), in one run, alternating the two for {@code --rounds} rounds;
 * prints one JSON line with the medians. Parses options and starts the pipeline; the measuring is
 * {@link PipelineBenchmark}'s.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = {
      "Push N GENERATE requests through a real (in-process) broker and the armguard topology, and"
          + " decode the same N requests directly without Kafka, in the same run: on a decode worker"
          + " thread as the service does (direct_rps, ratio) and on the main thread"
          + " (direct_main_thread_rps, ratio_vs_main_thread).",
      "Prints {\"pipeline_rps\",\"direct_rps\",\"ratio\" (pipeline/direct),\"p50_ms\",\"p99_ms\""
          + " (request produced -> completion consumed), kafka_head_ms / kafka_between_batches_ms /"
          + " kafka_tail_ms (where the pipeline's extra time went, per round), ...}."
    })
public final class BenchPipelineCommand implements Callable<Integer> {

  @Option(names = "--requests", defaultValue = "64", description = "N (default: ${DEFAULT-VALUE})")
  int requests;

  @Option(
      names = "--max-new-tokens",
      defaultValue = "16",
      description = "tokens per request (default: ${DEFAULT-VALUE})")
  int maxNewTokens;

  @Option(
      names = "--json",
      description = "JSON line only (a human summary goes to stderr otherwise)")
  boolean json;

  @Mixin BenchConfigOption serviceConfig;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description =
          "rounds of (direct, pipeline) measured alternately; medians are reported, so load that"
              + " drifts on a shared machine hits both sides (default: ${DEFAULT-VALUE})")
  int rounds;

  @Option(
      names = "--warmup-rounds",
      defaultValue = "1",
      description = "unreported rounds of both first (default: ${DEFAULT-VALUE})")
  int warmupRounds;

  @Option(
      names = "--open-loop",
      description =
          "open loop instead: --requests GENERATE requests arriving at --rate per second (Poisson)"
              + " over --partitions partitions, once per --schedulers setting (a fresh pipeline"
              + " each); one JSON line per setting with p50/p99 latency and the mean batch size,"
              + " then one with the ratios")
  boolean openLoop;

  @Option(
      names = "--rate",
      defaultValue = "25",
      description = "open loop: mean requests per second (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(
      names = "--partitions",
      defaultValue = "4",
      description = "open loop: request partitions (default: ${DEFAULT-VALUE})")
  int partitions;

  @Option(
      names = "--schedulers",
      defaultValue = "task,instance",
      split = ",",
      description =
          "open loop: decode.scheduler settings to compare, in this order (default:"
              + " ${DEFAULT-VALUE})")
  java.util.List<String> schedulers;

  @Option(
      names = "--warmup-requests",
      defaultValue = "100",
      description =
          "open loop: unreported requests at the same rate first (default: ${DEFAULT-VALUE})")
  int warmupRequests;

  @Override
  public Integer call() throws Exception {
    if (openLoop) {
      return new OpenLoopRun(
              serviceConfig,
              new OpenLoopBenchmark.Settings(rate, requests, partitions, maxNewTokens, 42),
              warmupRequests,
              schedulers)
          .call();
    }
    ArmguardConfig config =
        serviceConfig.load(
            Map.of(
                ArmguardConfig.APPLICATION_ID, "armguard-bench",
                ArmguardConfig.HTTP_PORT, "-1"));
    PipelineBenchmark.Settings settings =
        new PipelineBenchmark.Settings(requests, maxNewTokens, rounds, warmupRounds);
    try (ServiceModels models = ServiceModels.load(config, true, System.err);
        EmbeddedPipeline pipeline = EmbeddedPipeline.start(config, models, 1, System.err);
        DirectModeration direct = new DirectModeration(pipeline.config(), models.newEngine());
        KafkaProducer<String, GenerationRequest> producer = pipeline.requestProducer();
        OutputCollector collector = new OutputCollector(pipeline.config(), pipeline.serdes(), 1)) {
      PipelineBenchmark bench =
          new PipelineBenchmark(
              settings,
              pipeline.config(),
              direct,
              new KafkaRoundTrip(pipeline.config(), producer, collector));
      PipelineBenchResult result;
      try (ProgressBar bar = progress(bench.measuredParts())) {
        bar.setExtraMessage("measuring");
        result = bench.run(models.random(), bar::step);
      }
      if (!json) {
        System.err.printf(
            Locale.ROOT,
            "pipeline %.2f req/s vs direct %.2f req/s (ratio %.3f); latency p50 %.0f ms, p99 %.0f"
                + " ms%n",
            result.pipelineRps(),
            result.directRps(),
            result.pipelineRps() / result.directRps(),
            result.latencyMs(0.50),
            result.latencyMs(0.99));
      }
      System.out.println(result.toJsonLine());
      return result.complete() ? 0 : 1;
    }
  }

  private static ProgressBar progress(int steps) {
    return TerminalProgress.quietOffTerminal(
            new ProgressBarBuilder()
                .setTaskName("bench")
                .setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII))
        .build();
  }
}
