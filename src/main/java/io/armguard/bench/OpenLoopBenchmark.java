package io.armguard.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.armguard.config.ArmguardConfig;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.Mode;
import io.armguard.streams.OutputCollector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code bench pipeline --open-loop}: GENERATE requests arrive at a given mean rate (Poisson:
 * exponential gaps from a seeded generator, sent on a schedule whatever the service's pace), spread
 * round-robin over the request partitions, against a running armguard; reports end-to-end latency
 * (produced → completion consumed), overall and split by short (max_new_tokens <= {@value
 * TokenRange#SHORT_MAX}) and long requests, the batches the service formed (from the audit records)
 * and how the requests in flight grew ({@link QueueGrowth}). A sender thread produces while the
 * calling thread consumes. The caller owns producer and collector.
 */
public final class OpenLoopBenchmark {

  private static final Gson GSON =
      new GsonBuilder()
          .serializeSpecialFloatingPointValues()
          .serializeNulls()
          .disableHtmlEscaping()
          .create();

  /**
   * What to offer.
   *
   * @param ratePerSecond mean arrival rate
   * @param requests how many requests to send
   * @param partitions request partitions to spread them over (round-robin)
   * @param maxNewTokens tokens per request: one number, or a range each request draws from
   * @param seed of the arrival gaps and the token draws
   */
  public record Settings(
      double ratePerSecond, int requests, int partitions, TokenRange maxNewTokens, long seed) {
    public Settings {
      if (!(ratePerSecond > 0) || requests < 1 || partitions < 1 || maxNewTokens == null) {
        throw new IllegalArgumentException("invalid open-loop settings: " + this);
      }
    }

    /** Every request asks for {@code maxNewTokens}. */
    public Settings(
        double ratePerSecond, int requests, int partitions, int maxNewTokens, long seed) {
      this(ratePerSecond, requests, partitions, TokenRange.of(maxNewTokens), seed);
    }

    /** The same workload at another rate and seed. */
    public Settings at(double rate, int count, long otherSeed) {
      return new Settings(rate, count, partitions, maxNewTokens, otherSeed);
    }

    /** Request i's max_new_tokens, i in [0, requests). */
    public int[] tokens() {
      return maxNewTokens.draw(requests, seed * 31 + 7);
    }
  }

  /**
   * Latency percentiles of some of a run's requests.
   *
   * @param requests how many were answered
   * @param p50Ms nearest-rank median, NaN for none
   * @param p99Ms nearest-rank 99th percentile, NaN for none
   */
  public record Latency(int requests, double p50Ms, double p99Ms) {
    static Latency of(List<Double> ms) {
      double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return new Latency(
          sorted.length, Statistics.percentile(sorted, 0.50), Statistics.percentile(sorted, 0.99));
    }

    /** Short (max_new_tokens <= SHORT_MAX) and long requests' latencies, in that order. */
    static Latency[] split(List<Double> ms, List<Integer> tokens) {
      List<Double> shortMs = new ArrayList<>();
      List<Double> longMs = new ArrayList<>();
      for (int i = 0; i < ms.size(); i++) {
        (tokens.get(i) <= TokenRange.SHORT_MAX ? shortMs : longMs).add(ms.get(i));
      }
      return new Latency[] {of(shortMs), of(longMs)};
    }
  }

  /**
   * One open-loop run.
   *
   * @param offeredRps requests sent / sending time
   * @param achievedRps requests answered / (first sent → last answered)
   * @param meanBatchSize batches' mean size: answered requests / batches, where a request in a
   *     batch of b counts 1/b of a batch (exact whatever tasks the batch spanned)
   * @param maxBatchSize the largest batch
   * @param complete whether every request was answered within the wait
   * @param shortLatency requests with max_new_tokens <= {@value TokenRange#SHORT_MAX}
   * @param longLatency the others
   * @param queue requests in flight over the sending window
   */
  public record Result(
      String scheduler,
      Settings settings,
      double offeredRps,
      double achievedRps,
      double p50Ms,
      double p99Ms,
      double meanBatchSize,
      int maxBatchSize,
      double batches,
      boolean complete,
      Latency shortLatency,
      Latency longLatency,
      QueueGrowth queue) {

    /** One JSON line (field names in snake case, as the other benchmarks print). */
    public String toJsonLine() {
      return toJsonLine(Map.of());
    }

    /** One JSON line with {@code context} (e.g. the capacity fraction) after the settings. */
    public String toJsonLine(Map<String, Object> context) {
      return GSON.toJson(fields(context));
    }

    private Map<String, Object> fields(Map<String, Object> context) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("bench", "pipeline-open-loop");
      m.put("scheduler", scheduler);
      m.put("rate", Statistics.round(settings.ratePerSecond(), 3));
      m.put("partitions", settings.partitions());
      m.put("requests", settings.requests());
      m.put("max_new_tokens", settings.maxNewTokens().json());
      m.putAll(context);
      m.put("offered_rps", round(offeredRps));
      m.put("achieved_rps", round(achievedRps));
      m.put("p50_ms", round(p50Ms));
      m.put("p99_ms", round(p99Ms));
      m.put("mean_batch_size", round(meanBatchSize));
      m.put("max_batch_size", maxBatchSize);
      m.put("batches", round(batches));
      if (!settings.maxNewTokens().single()) {
        m.put("short_max_new_tokens", TokenRange.SHORT_MAX);
        m.put("short_requests", shortLatency.requests());
        m.put("short_p50_ms", round(shortLatency.p50Ms()));
        m.put("short_p99_ms", round(shortLatency.p99Ms()));
        m.put("long_requests", longLatency.requests());
        m.put("long_p50_ms", round(longLatency.p50Ms()));
        m.put("long_p99_ms", round(longLatency.p99Ms()));
      }
      m.put("max_queued", queue.maxQueued());
      m.put("queued_at_last_send", queue.queuedAtLastSend());
      m.put("queue_slope_per_s", queue.slopePerS());
      m.put("complete", complete);
      return m;
    }

    /** Rounded to 2 decimals; null (not NaN, which is no JSON) for a group with no requests. */
    private static Double round(double v) {
      return Double.isNaN(v) ? null : Math.round(v * 100) / 100.0;
    }
  }

  private final ArmguardConfig config;
  private final KafkaProducer<String, GenerationRequest> producer;
  private final OutputCollector collector;

  /**
   * Against the armguard that {@code config} describes (topics); the collector reads its output.
   */
  public OpenLoopBenchmark(
      ArmguardConfig config,
      KafkaProducer<String, GenerationRequest> producer,
      OutputCollector collector) {
    this.config = config;
    this.producer = producer;
    this.collector = collector;
  }

  /**
   * Sends {@code settings.requests()} requests at the rate and waits (up to 10 minutes after the
   * last is sent) for their answers. Requests are named {@code prefix + i}, so that runs against
   * the same collector do not mix.
   *
   * @param scheduler the label the result carries (e.g. the decode.scheduler setting)
   * @param alreadyReceived completions the collector already holds from earlier runs
   */
  public Result run(Settings settings, String scheduler, String prefix, int alreadyReceived)
      throws InterruptedException {
    Map<String, Long> sentNanos = new ConcurrentHashMap<>();
    Map<String, Integer> tokensOf = new ConcurrentHashMap<>();
    int[] tokens = settings.tokens();
    Random gaps = new Random(settings.seed());
    long t0 = System.nanoTime();
    long[] sendingDone = new long[1];
    Thread sender =
        new Thread(
            () -> {
              long due = t0;
              for (int i = 0; i < settings.requests(); i++) {
                LockSupport.parkNanos(due - System.nanoTime()); // returns at once when late
                String id = prefix + i;
                GenerationRequest r = request(id, i, tokens[i]);
                tokensOf.put(id, tokens[i]);
                sentNanos.put(id, System.nanoTime());
                producer.send(
                    new ProducerRecord<>(config.requestsTopic(), i % settings.partitions(), id, r));
                due += (long) (-Math.log(1 - gaps.nextDouble()) / settings.ratePerSecond() * 1e9);
              }
              producer.flush();
              sendingDone[0] = System.nanoTime();
            },
            "open-loop-sender");
    sender.start();
    int expected = alreadyReceived + settings.requests();
    long budget = (long) (settings.requests() / settings.ratePerSecond() * 1e3) + 600_000;
    boolean reached =
        collector.await(
            expected, expected, 0, Duration.ofMillis(budget), Duration.ofMillis(500), c -> {});
    sender.join();
    List<Double> latencies = new ArrayList<>();
    List<Integer> latencyTokens = new ArrayList<>();
    List<Long> answered = new ArrayList<>();
    long last = t0;
    for (OutputCollector.Received r : collector.completions()) {
      String id = r.completion().getRequestId();
      Long s = sentNanos.get(id);
      if (s != null) {
        latencies.add((r.receivedNanos() - s) / 1e6);
        latencyTokens.add(tokensOf.get(id));
        answered.add(r.receivedNanos());
        last = Math.max(last, r.receivedNanos());
      }
    }
    List<Integer> batchSizes = new ArrayList<>();
    for (AuditRecord a : collector.audits()) {
      int b = a.getTimings() == null ? 0 : a.getTimings().getBatchSize();
      if (b > 0 && sentNanos.containsKey(a.getRequestId())) {
        batchSizes.add(b);
      }
    }
    double batches = batches(batchSizes);
    int maxBatch = batchSizes.stream().mapToInt(Integer::intValue).max().orElse(0);
    int decoded = batchSizes.size();
    Latency all = Latency.of(latencies);
    Latency[] split = Latency.split(latencies, latencyTokens);
    QueueGrowth queue =
        QueueGrowth.of(
            sentNanos.values().stream().mapToLong(Long::longValue).toArray(),
            answered.stream().mapToLong(Long::longValue).toArray());
    return new Result(
        scheduler,
        settings,
        settings.requests() / ((sendingDone[0] - t0) / 1e9),
        latencies.size() / ((last - t0) / 1e9),
        all.p50Ms(),
        all.p99Ms(),
        batches == 0 ? 0 : decoded / batches,
        maxBatch,
        batches,
        reached && latencies.size() == settings.requests(),
        split[0],
        split[1],
        queue);
  }

  /**
   * How many batches requests with these batch sizes (one entry per request, from its audit) were
   * decoded in: a request in a batch of b is 1/b of it. Exact whichever tasks a batch spanned,
   * which grouping requests by partition and offset is not.
   */
  static double batches(List<Integer> batchSizePerRequest) {
    double n = 0;
    for (int b : batchSizePerRequest) {
      n += 1.0 / b;
    }
    return n;
  }

  /** The open loop's i-th request (also what a capacity measurement decodes). */
  static GenerationRequest request(String id, int i, int maxNewTokens) {
    return GenerationRequest.newBuilder()
        .setRequestId(id)
        .setMode(Mode.GENERATE)
        .setPrompt(PipelineBenchmark.prompt(i))
        .setMaxNewTokens(maxNewTokens)
        .setSeed((long) i)
        .setCreatedAt(Instant.now())
        .build();
  }
}
