package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import io.armguard.bench.OpenLoopBenchmark;
import io.armguard.config.ArmguardConfig;
import io.armguard.eval.XyPlot;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.GenerationRequest;
import io.armguard.testing.ApicurioRegistry;
import io.armguard.testing.ArmguardProcess;
import io.armguard.testing.BrokerProcess;
import io.armguard.testing.ProcessSampler;
import io.armguard.testing.ProcessSampler.Sample;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded soak with real processes, as an operator runs armguard: a KRaft broker process,
 * Apicurio as its own process and one {@code ./armguard run} JVM (shipped models, default
 * configuration apart from the broker, the registry and the harness's instance id, state dir and
 * http port). {@code soak.requests} GENERATE requests arrive open-loop ({@link OpenLoopBenchmark}:
 * Poisson, mean {@code soak.rate}/s, round-robin over 4 partitions, {@code soak.max.new.tokens}
 * each); a read_committed consumer counts completions, audits and dead letters, while a {@link
 * ProcessSampler} records the service's RSS, open FDs and threads every {@code soak.sample.seconds}
 * to {@code soak.samples}. Asserts exactly once (0 missing, 0 duplicated, 0 dead letters), then
 * prints one JSON line of the figures.
 *
 * <p>Takes many minutes, so it runs only when asked: {@code -Dsoak=true} (docs/deployment.md,
 * "Memory over a 10,000-request soak", has the command).
 */
@EnabledIfSystemProperty(
    named = "soak",
    matches = "true",
    disabledReason = "a soak of many minutes; run it with -Dsoak=true (docs/deployment.md)")
class SoakSystemIT {

  private static final int PARTITIONS = 4;
  private static final int REQUESTS = Integer.getInteger("soak.requests", 10_000);
  private static final double RATE = Double.parseDouble(System.getProperty("soak.rate", "8"));
  private static final int MAX_NEW_TOKENS = Integer.getInteger("soak.max.new.tokens", 8);
  private static final int SAMPLE_SECONDS = Integer.getInteger("soak.sample.seconds", 5);
  private static final Path SAMPLES =
      Path.of(System.getProperty("soak.samples", "target/soak/soak-samples.txt"));

  /** RSS is judged after this long under load: class loading, JIT and allocator warm-up. */
  private static final Duration WARM_UP = Duration.ofSeconds(60);

  // kept when the soak fails: the service's and the broker's logs are in it
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  void everyRequestIsAnsweredOnceAndTheServiceStaysFlat() throws Exception {
    try (ApicurioRegistry registry = ApicurioRegistry.startOrSkip();
        BrokerProcess broker = BrokerProcess.start(tmp.resolve("broker"))) {
      // only what the harness must set; everything else is the shipped default
      Map<String, String> settings =
          Map.of(
              "bootstrap.servers", broker.bootstrapServers(),
              "schema.registry.url", registry.url());
      ArmguardConfig c = ArmguardConfig.from(settings, Map.of());
      broker.createTopics(
          PARTITIONS,
          List.of(c.requestsTopic(), c.completionsTopic(), c.auditTopic(), c.dlqTopic()));
      TopologySerdes serdes = TopologySerdes.fromConfig(c);
      try (ArmguardProcess service =
              new ArmguardProcess(tmp.resolve("a"), "a", settings).viaLauncher().start();
          KafkaProducer<String, GenerationRequest> producer = producer(c, serdes);
          OutputCollector out = new OutputCollector(c, serdes, PARTITIONS)) {
        Duration ready = service.awaitReady(Duration.ofSeconds(180));
        long startMs = System.currentTimeMillis();
        OpenLoopBenchmark.Result result;
        List<Sample> samples;
        try (ProcessSampler sampler =
            ProcessSampler.start(service.pid(), Duration.ofSeconds(SAMPLE_SECONDS), SAMPLES)) {
          result =
              new OpenLoopBenchmark(c, producer, out)
                  .run(
                      new OpenLoopBenchmark.Settings(
                          RATE, REQUESTS, PARTITIONS, MAX_NEW_TOKENS, 14L),
                      c.string(ArmguardConfig.DECODE_SCHEDULER),
                      "soak-",
                      0);
          // a duplicate would come after the last answer: read on before judging
          out.await(0, 0, 0, Duration.ZERO, Duration.ofSeconds(5), x -> {});
          sampler.close();
          samples = sampler.samples();
        }
        long endMs = System.currentTimeMillis();

        Map<String, Long> perCompletion =
            count(out.completions().stream().map(r -> r.completion().getRequestId()).toList());
        Map<String, Long> perAudit =
            count(out.audits().stream().map(AuditRecord::getRequestId).toList());
        long missing = REQUESTS - perCompletion.size();
        long duplicated =
            perCompletion.values().stream().mapToLong(n -> n - 1).sum()
                + perAudit.values().stream().mapToLong(n -> n - 1).sum();
        Map<String, Object> figures =
            figures(result, samples, startMs, endMs, ready, perAudit.size(), out, missing);
        figures.put("duplicated", duplicated);
        writePlot(samples, startMs);
        System.out.println("soak: " + new Gson().toJson(figures));

        assertEquals(0, missing, "every request answered; log: " + service.log());
        assertEquals(REQUESTS, perAudit.size(), "every request audited");
        assertEquals(0, duplicated, "no request answered or audited twice");
        assertEquals(0, out.deadLetters().size(), "nothing dead-lettered");
        assertTrue(result.complete(), "answered within the wait: " + result.toJsonLine());
      }
    }
  }

  private static Map<String, Object> figures(
      OpenLoopBenchmark.Result result,
      List<Sample> samples,
      long startMs,
      long endMs,
      Duration ready,
      int audits,
      OutputCollector out,
      long missing) {
    long warm = startMs / 1000 + WARM_UP.toSeconds();
    List<Sample> after = samples.stream().filter(s -> s.epochSecond() >= warm).toList();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("soak", "armguard run, broker and registry processes");
    m.put("requests", REQUESTS);
    m.put("rate", RATE);
    m.put("max_new_tokens", MAX_NEW_TOKENS);
    m.put("offered_rps", round(result.offeredRps()));
    m.put("achieved_rps", round(result.achievedRps()));
    m.put("p50_ms", round(result.p50Ms()));
    m.put("p99_ms", round(result.p99Ms()));
    m.put("mean_batch_size", round(result.meanBatchSize()));
    m.put("completions", out.completions().size());
    m.put("audits", out.audits().size());
    m.put("missing", missing);
    m.put("dead_letters", out.deadLetters().size());
    m.put("audited_requests", audits);
    m.put("ready_ms", ready.toMillis());
    m.put("duration_s", (endMs - startMs) / 1000);
    m.put("samples", samples.size());
    m.put("samples_file", SAMPLES.toString());
    if (!after.isEmpty()) {
      m.put("rss_kib_after_warm_up", after.get(0).rssKib());
      m.put("rss_kib_end", after.get(after.size() - 1).rssKib());
      m.put("rss_kib_max", after.stream().mapToLong(Sample::rssKib).max().orElse(0));
      m.put("fds_min", after.stream().mapToInt(Sample::fds).min().orElse(0));
      m.put("fds_max", after.stream().mapToInt(Sample::fds).max().orElse(0));
      m.put("threads_min", after.stream().mapToInt(Sample::threads).min().orElse(0));
      m.put("threads_max", after.stream().mapToInt(Sample::threads).max().orElse(0));
    }
    return m;
  }

  /** RSS over time next to the samples file ({@code .png}), with the project's plot writer. */
  private static void writePlot(List<Sample> samples, long startMs) throws java.io.IOException {
    List<XyPlot.Point> rss = new ArrayList<>();
    for (Sample s : samples) {
      rss.add(new XyPlot.Point((s.epochSecond() - startMs / 1000) / 60.0, s.rssKib() / 1024.0, ""));
    }
    String name = SAMPLES.getFileName().toString().replaceFirst("\\.txt$", "") + ".png";
    new XyPlot(
            "armguard run: resident memory over " + REQUESTS + " requests at " + RATE + "/s",
            "minutes since the first request",
            "RSS (MiB)",
            false)
        .add(new XyPlot.Series("RSS", rss, false))
        .write(SAMPLES.resolveSibling(name));
  }

  private static KafkaProducer<String, GenerationRequest> producer(
      ArmguardConfig c, TopologySerdes serdes) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p, new StringSerializer(), serdes.request().serializer());
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static Map<String, Long> count(List<String> ids) {
    return ids.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }
}
