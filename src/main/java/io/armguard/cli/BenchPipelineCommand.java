package io.armguard.cli;

import io.armguard.config.ArmguardConfig;
import io.armguard.decode.GuidedEngine;
import io.armguard.moderate.BatchModerator;
import io.armguard.moderate.Task;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.Mode;
import io.armguard.streams.DecodeLane;
import io.armguard.streams.ModerationConfig;
import io.armguard.streams.OutputCollector;
import io.armguard.streams.TaskFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code armguard bench pipeline}: the same workload decoded through Kafka (in-process broker,
 * micro-batching topology, exactly-once) and directly (the same moderator and engine in batches of
 * {@code batch.size}, no Kafka), in one run, alternating the two for {@code --rounds} rounds;
 * prints one JSON line with the medians.
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

  private static final List<String> PROMPTS =
      List.of(
          "The weather in the mountains today is",
          "You are such a stupid",
          "Once upon a time, in a small village,",
          "My favourite thing about weekends is",
          "The meeting was cancelled because");

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

  @Option(names = "--config", description = "properties file (batch.size, models, device, ...)")
  Path configFile;

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

  @Override
  public Integer call() throws Exception {
    ArmguardConfig config =
        (configFile == null
                ? ArmguardConfig.fromEnvironment(Map.of())
                : ArmguardConfig.load(configFile))
            .with(
                Map.of(
                    ArmguardConfig.APPLICATION_ID, "armguard-bench",
                    ArmguardConfig.HTTP_PORT, "-1"));
    try (ServiceModels models = ServiceModels.load(config, true, System.err);
        EmbeddedPipeline pipeline = EmbeddedPipeline.start(config, models, 1, System.err);
        Direct direct = new Direct(pipeline.config(), models.newEngine());
        KafkaProducer<String, GenerationRequest> producer = pipeline.requestProducer();
        OutputCollector collector = new OutputCollector(pipeline.config(), pipeline.serdes(), 1)) {
      ArmguardConfig running = pipeline.config();
      Sender sender = new Sender(running, producer, collector);
      // Warm-up rounds (not reported): the JIT compiles the sampler, serdes and Kafka paths.
      for (int w = 0; w < warmupRounds; w++) {
        List<GenerationRequest> warm = workload("warmup" + w + "-", requests);
        direct.secondsOnWorker(warm);
        direct.secondsOnMainThread(warm);
        sender.round(warm);
      }
      double[] directS = new double[rounds];
      double[] directMainS = new double[rounds];
      double[] pipelineS = new double[rounds];
      List<Double> latencies = new ArrayList<>();
      double decodeS = 0;
      double headMs = 0;
      double betweenMs = 0;
      double tailMs = 0;
      int batches = 0;
      boolean complete = true;
      try (ProgressBar bar = progress(3 * rounds)) {
        bar.setExtraMessage("measuring");
        for (int r = 0; r < rounds; r++) {
          List<GenerationRequest> work = workload("r" + r + "-", requests);
          directS[r] = direct.secondsOnWorker(work);
          bar.step();
          directMainS[r] = direct.secondsOnMainThread(work);
          bar.step();
          Round round = sender.round(work);
          bar.step();
          pipelineS[r] = round.seconds;
          latencies.addAll(round.latenciesMs);
          decodeS += round.decodeSeconds;
          headMs += round.kafka.headMs() / rounds;
          betweenMs += round.kafka.betweenMs() / rounds;
          tailMs += round.kafka.tailMs() / rounds;
          batches += round.batches;
          complete &= round.complete;
        }
      }
      double pipelineRps = requests / median(pipelineS);
      double directRps = requests / median(directS);
      double directMainRps = requests / median(directMainS);
      double[] lat = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      String line =
          String.format(
              Locale.ROOT,
              "{\"bench\":\"pipeline\",\"requests\":%d,\"rounds\":%d,\"batch_size\":%d,"
                  + "\"max_new_tokens\":%d,\"commit_interval_ms\":%d,\"pipeline_rps\":%.2f,"
                  + "\"direct_rps\":%.2f,\"ratio\":%.3f,\"direct_main_thread_rps\":%.2f,"
                  + "\"ratio_vs_main_thread\":%.3f,\"p50_ms\":%.1f,\"p99_ms\":%.1f,"
                  + "\"pipeline_s\":%s,\"direct_s\":%s,\"direct_main_thread_s\":%s,"
                  + "\"pipeline_batches\":%d,"
                  + "\"pipeline_decode_s\":%.3f,\"kafka_head_ms\":%.1f,"
                  + "\"kafka_between_batches_ms\":%.1f,\"kafka_tail_ms\":%.1f,"
                  + "\"random_models\":%b,\"device\":\"%s\"}",
              requests,
              rounds,
              running.batchSize(),
              maxNewTokens,
              running.commitIntervalMs(),
              pipelineRps,
              directRps,
              pipelineRps / directRps,
              directMainRps,
              pipelineRps / directMainRps,
              percentile(lat, 0.50),
              percentile(lat, 0.99),
              Arrays.toString(round3(pipelineS)),
              Arrays.toString(round3(directS)),
              Arrays.toString(round3(directMainS)),
              batches,
              decodeS,
              headMs,
              betweenMs,
              tailMs,
              models.random(),
              running.string(ArmguardConfig.DEVICE));
      if (!json) {
        System.err.printf(
            Locale.ROOT,
            "pipeline %.2f req/s vs direct %.2f req/s (ratio %.3f); latency p50 %.0f ms, p99 %.0f"
                + " ms%n",
            pipelineRps,
            directRps,
            pipelineRps / directRps,
            percentile(lat, 0.50),
            percentile(lat, 0.99));
      }
      System.out.println(line);
      return complete ? 0 : 1;
    }
  }

  private static ProgressBar progress(int steps) {
    return new ProgressBarBuilder()
        .setTaskName("bench")
        .setInitialMax(steps)
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new ConsoleProgressBarConsumer(System.err))
        .build();
  }

  private List<GenerationRequest> workload(String prefix, int n) {
    List<GenerationRequest> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(
          GenerationRequest.newBuilder()
              .setRequestId(prefix + i)
              .setMode(Mode.GENERATE)
              .setPrompt(PROMPTS.get(i % PROMPTS.size()))
              .setMaxNewTokens(maxNewTokens)
              .setSeed((long) i)
              .setCreatedAt(Instant.now())
              .build());
    }
    return out;
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.max(0, Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1))];
  }

  private static double[] round3(double[] xs) {
    return Arrays.stream(xs).map(x -> Math.round(x * 1000) / 1000.0).toArray();
  }

  /**
   * The same moderator the topology runs, on its own engine, batch.size at a time, without Kafka.
   * It decodes on a {@link DecodeLane} worker thread, as the service does; the main-thread figure
   * is reported beside it because libtorch decodes a few percent faster on the JVM's main thread
   * here (BENCHMARKS.md).
   */
  private static final class Direct implements AutoCloseable {
    private final TaskFactory factory;
    private final BatchModerator moderator;
    private final int batchSize;
    private final DecodeLane lane;

    Direct(ArmguardConfig config, GuidedEngine engine) {
      this.factory = new TaskFactory(config);
      this.moderator = new BatchModerator(engine, ModerationConfig.policy(config));
      this.batchSize = config.batchSize();
      this.lane = new DecodeLane(engine, "armguard-direct-decode");
    }

    /** Seconds to decode {@code work} on the lane's worker thread. */
    double secondsOnWorker(List<GenerationRequest> work) {
      CompletableFuture<Double> done = new CompletableFuture<>();
      lane.execute(
          () -> {
            try {
              done.complete(decodeSeconds(work));
            } catch (Throwable t) {
              done.completeExceptionally(t);
            }
          });
      return done.join();
    }

    /** Seconds to decode {@code work} on the calling (main) thread. */
    double secondsOnMainThread(List<GenerationRequest> work) {
      return decodeSeconds(work);
    }

    private double decodeSeconds(List<GenerationRequest> work) {
      List<Task> tasks = work.stream().map(factory::toTask).toList();
      long t0 = System.nanoTime();
      for (int i = 0; i < tasks.size(); i += batchSize) {
        moderator.decide(tasks.subList(i, Math.min(i + batchSize, tasks.size())));
      }
      return (System.nanoTime() - t0) / 1e9;
    }

    /** Stops the worker and closes the engine. */
    @Override
    public void close() {
      lane.close();
    }
  }

  /**
   * One pipeline round: from the first request sent to the last completion consumed.
   *
   * @param decodeSeconds the round's batches' decode time, from their audit records (the rest of
   *     the round's time is Kafka)
   */
  private record Round(
      double seconds,
      List<Double> latenciesMs,
      double decodeSeconds,
      int batches,
      boolean complete,
      KafkaTime kafka) {}

  /**
   * Where a round's time outside decoding went, in ms, from the completions' record timestamps (the
   * wall-clock time their batch was forwarded) and the audits' batch decode times.
   *
   * @param headMs first request sent until the first batch's decode started
   * @param betweenMs summed gaps between one batch's forward and the next batch's decode start
   * @param tailMs last batch forwarded until its last completion reached the consumer (commit)
   */
  record KafkaTime(double headMs, double betweenMs, double tailMs) {
    static KafkaTime of(long t0WallMs, long lastReceivedWallMs, Map<Long, Long> decodeMsByForward) {
      List<Long> forwards = decodeMsByForward.keySet().stream().sorted().toList();
      if (forwards.isEmpty()) {
        return new KafkaTime(Double.NaN, Double.NaN, Double.NaN);
      }
      long first = forwards.get(0);
      double head = first - decodeMsByForward.get(first) - t0WallMs;
      double between = 0;
      for (int i = 1; i < forwards.size(); i++) {
        long f = forwards.get(i);
        between += f - decodeMsByForward.get(f) - forwards.get(i - 1);
      }
      double tail = lastReceivedWallMs - forwards.get(forwards.size() - 1);
      return new KafkaTime(head, between, tail);
    }
  }

  /** Produces rounds of requests and waits for their completions and audits. */
  private static final class Sender {
    private final ArmguardConfig config;
    private final KafkaProducer<String, GenerationRequest> producer;
    private final OutputCollector collector;
    private int expected;

    Sender(
        ArmguardConfig config,
        KafkaProducer<String, GenerationRequest> producer,
        OutputCollector collector) {
      this.config = config;
      this.producer = producer;
      this.collector = collector;
    }

    Round round(List<GenerationRequest> work) {
      Map<String, Long> sent = new HashMap<>();
      long t0Wall = System.currentTimeMillis();
      long t0 = System.nanoTime();
      for (GenerationRequest r : work) {
        sent.put(r.getRequestId(), System.nanoTime());
        producer.send(new ProducerRecord<>(config.requestsTopic(), r.getRequestId(), r));
      }
      producer.flush();
      expected += work.size();
      boolean complete =
          collector.await(expected, expected, 0, Duration.ofMinutes(10), Duration.ZERO, c -> {});
      long last = t0;
      long lastWall = t0Wall;
      List<Double> latencies = new ArrayList<>();
      Map<String, Long> forwardedAt = new HashMap<>();
      for (OutputCollector.Received r : collector.completions()) {
        Long s = sent.get(r.completion().getRequestId());
        if (s != null) {
          latencies.add((r.receivedNanos() - s) / 1e6);
          last = Math.max(last, r.receivedNanos());
          lastWall = Math.max(lastWall, r.receivedWallMs());
          forwardedAt.put(r.completion().getRequestId(), r.recordTimestampMs());
        }
      }
      double decodeMs = 0;
      double batches = 0;
      Map<Long, Long> decodeMsByForward = new HashMap<>();
      for (AuditRecord a : collector.audits()) {
        if (sent.containsKey(a.getRequestId()) && a.getTimings().getBatchSize() > 0) {
          decodeMs += (double) a.getTimings().getDecodeMs() / a.getTimings().getBatchSize();
          batches += 1.0 / a.getTimings().getBatchSize();
          Long f = forwardedAt.get(a.getRequestId());
          if (f != null) {
            decodeMsByForward.put(f, a.getTimings().getDecodeMs());
          }
        }
      }
      return new Round(
          (last - t0) / 1e9,
          latencies,
          decodeMs / 1e3,
          (int) Math.round(batches),
          complete && latencies.size() == work.size(),
          KafkaTime.of(t0Wall, lastWall, decodeMsByForward));
    }
  }
}
