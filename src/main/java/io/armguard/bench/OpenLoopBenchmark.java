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
 * (produced → completion consumed) and the batches the service formed, from the audit records. A
 * sender thread produces while the calling thread consumes. The caller owns producer and collector.
 */
public final class OpenLoopBenchmark {

  private static final Gson GSON =
      new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping().create();

  /**
   * What to offer.
   *
   * @param ratePerSecond mean arrival rate
   * @param requests how many requests to send
   * @param partitions request partitions to spread them over (round-robin)
   * @param maxNewTokens tokens per request
   * @param seed of the arrival gaps
   */
  public record Settings(
      double ratePerSecond, int requests, int partitions, int maxNewTokens, long seed) {
    public Settings {
      if (!(ratePerSecond > 0) || requests < 1 || partitions < 1 || maxNewTokens < 1) {
        throw new IllegalArgumentException("invalid open-loop settings: " + this);
      }
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
      boolean complete) {

    /** One JSON line (field names in snake case, as the other benchmarks print). */
    public String toJsonLine() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("bench", "pipeline-open-loop");
      m.put("scheduler", scheduler);
      m.put("rate", settings.ratePerSecond());
      m.put("partitions", settings.partitions());
      m.put("requests", settings.requests());
      m.put("max_new_tokens", settings.maxNewTokens());
      m.put("offered_rps", round(offeredRps));
      m.put("achieved_rps", round(achievedRps));
      m.put("p50_ms", round(p50Ms));
      m.put("p99_ms", round(p99Ms));
      m.put("mean_batch_size", round(meanBatchSize));
      m.put("max_batch_size", maxBatchSize);
      m.put("batches", round(batches));
      m.put("complete", complete);
      return GSON.toJson(m);
    }

    private static double round(double v) {
      return Math.round(v * 100) / 100.0;
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
                GenerationRequest r = request(id, i, settings.maxNewTokens());
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
    long last = t0;
    for (OutputCollector.Received r : collector.completions()) {
      Long s = sentNanos.get(r.completion().getRequestId());
      if (s != null) {
        latencies.add((r.receivedNanos() - s) / 1e6);
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
    double[] lat = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Result(
        scheduler,
        settings,
        settings.requests() / ((sendingDone[0] - t0) / 1e9),
        latencies.size() / ((last - t0) / 1e9),
        Statistics.percentile(lat, 0.50),
        Statistics.percentile(lat, 0.99),
        batches == 0 ? 0 : decoded / batches,
        maxBatch,
        batches,
        reached && latencies.size() == settings.requests());
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

  private static GenerationRequest request(String id, int i, int maxNewTokens) {
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
