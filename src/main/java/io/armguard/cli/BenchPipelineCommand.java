package io.armguard.cli;

import io.armguard.bench.DirectModeration;
import io.armguard.bench.KafkaRoundTrip;
import io.armguard.bench.OpenLoopBenchmark;
import io.armguard.bench.PipelineBenchResult;
import io.armguard.bench.PipelineBenchmark;
import io.armguard.bench.TokenRange;
import io.armguard.config.ArmguardConfig;
import io.armguard.schema.GenerationRequest;
import io.armguard.streams.OutputCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

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

  @Spec CommandSpec spec;

  @Option(names = "--requests", defaultValue = "64", description = "N (default: ${DEFAULT-VALUE})")
  int requests;

  @Option(
      names = "--max-new-tokens",
      defaultValue = "16",
      converter = TokenRangeConverter.class,
      description =
          "tokens per request: N, or with --open-loop a range MIN-MAX (e.g. 4-64) each request"
              + " draws from uniformly (seeded); the open loop's lines then split p50/p99 into"
              + " short (<= 16 tokens) and long requests (default: ${DEFAULT-VALUE})")
  TokenRange maxNewTokens;

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
              + " drifts on a shared machine hits both sides; with --capacity-fractions the"
              + " capacity's measured rounds (default: ${DEFAULT-VALUE})")
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
              + " over --partitions partitions, once per --schedulers setting and partition count"
              + " (a fresh pipeline each); one JSON line per run with offered and achieved rate,"
              + " p50/p99 latency, the mean batch size and the requests in flight (max_queued,"
              + " queued_at_last_send, queue_slope_per_s: least-squares slope over the second half"
              + " of the sending window), then per (partitions, rate) one with the ratios to the"
              + " first scheduler")
  boolean openLoop;

  @Option(
      names = "--rate",
      defaultValue = "25",
      description =
          "open loop: mean requests per second; ignored with --capacity-fractions (default:"
              + " ${DEFAULT-VALUE})")
  double rate;

  @Option(
      names = "--partitions",
      defaultValue = "4",
      split = ",",
      description =
          "open loop: request partitions, comma-separated for several runs (e.g. 1,8; default:"
              + " ${DEFAULT-VALUE})")
  List<Integer> partitions;

  @Option(
      names = "--capacity-fractions",
      split = ",",
      description =
          "open loop: measure the capacity first (the same workload decoded closed-loop and"
              + " directly, batch.size at a time, no Kafka: median of --rounds after"
              + " --warmup-rounds; one \"pipeline-open-loop-capacity\" line), then offer these"
              + " fractions of it (e.g. 0.25,0.5,0.8) to every scheduler and partition count:"
              + " one line per (scheduler, partitions, fraction) with capacity_fraction and"
              + " capacity_rps")
  List<Double> capacityFractions = new ArrayList<>();

  @Option(
      names = "--capacity",
      defaultValue = "0",
      description =
          "open loop with --capacity-fractions: use this capacity (requests/s) instead of"
              + " measuring it")
  double capacity;

  @Option(
      names = "--schedulers",
      defaultValue = "task,instance,continuous",
      split = ",",
      description =
          "open loop: decode.scheduler settings to compare, in this order; any value the"
              + " decode.scheduler key accepts (default: ${DEFAULT-VALUE})")
  List<String> schedulers;

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
              new OpenLoopRun.Plan(
                  new OpenLoopBenchmark.Settings(
                      rate, requests, partitions.get(0), maxNewTokens, 42),
                  warmupRequests,
                  schedulers,
                  partitions,
                  capacityFractions,
                  capacity,
                  rounds,
                  warmupRounds))
          .call();
    }
    if (!maxNewTokens.single()) {
      throw new ParameterException(
          spec.commandLine(), "--max-new-tokens MIN-MAX needs --open-loop; give one number");
    }
    ArmguardConfig config =
        serviceConfig.load(
            Map.of(
                ArmguardConfig.APPLICATION_ID, "armguard-bench",
                ArmguardConfig.HTTP_PORT, "-1"));
    PipelineBenchmark.Settings settings =
        new PipelineBenchmark.Settings(requests, maxNewTokens.min(), rounds, warmupRounds);
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

  /** {@code N} or {@code MIN-MAX}. */
  static final class TokenRangeConverter implements ITypeConverter<TokenRange> {
    @Override
    public TokenRange convert(String value) {
      try {
        return TokenRange.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
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
