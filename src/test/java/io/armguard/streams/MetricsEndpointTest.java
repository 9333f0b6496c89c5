package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.config.ArmguardConfig;
import io.armguard.decode.LoadedModel;
import io.armguard.moderate.WordListEngine;
import io.armguard.schema.GenerationRequest;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} as Prometheus scrapes it, over real HTTP, after the real topology (under
 * TopologyTestDriver) has answered a batch and dead-lettered bad records: histogram buckets for the
 * latencies, the model info series, the JVM's and process's meters, and one dead-letter count per
 * reason, named as the dead letter's header names it.
 */
class MetricsEndpointTest {

  /** An engine whose token counter fails on one word: a processor exception in {@code validate}. */
  private static final class FailingCountEngine extends WordListEngine {
    static final String BOOM = "BOOM";

    @Override
    public int countTokens(String text) {
      if (text.contains(BOOM)) {
        throw new IllegalStateException("token counter failed");
      }
      return super.countTokens(text);
    }
  }

  private static final List<LoadedModel> MODELS =
      List.of(
          new LoadedModel(LoadedModel.LM, "lm@0123456789ab"),
          new LoadedModel(LoadedModel.REWARD, "arm@ba9876543210"),
          new LoadedModel(LoadedModel.REWARD, "rad@00ff00ff00ff"));

  @TempDir Path stateDir;

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmProcessMetrics jvm = new JvmProcessMetrics();
  private final AtomicLong clock = new AtomicLong();
  private final TopologySerdes serdes = TestSerdes.create("metrics-test");
  private ArmguardConfig config;
  private TopologyTestDriver driver;
  private HealthServer server;

  @BeforeEach
  void start() throws Exception {
    config =
        ArmguardConfig.from(
            Map.of(
                "batch.size", "4",
                "batch.max.delay.ms", "200",
                "batch.max.in.flight", "0",
                "transaction.timeout.ms", "60000",
                "state.dir", stateDir.toString(),
                "application.id", "armguard-metrics-test"),
            Map.of());
    jvm.bindTo(registry);
    new ModelInfoMetrics(MODELS).bindTo(registry);
    PipelineMetrics metrics = new PipelineMetrics(registry);
    Properties props = ArmguardTopology.streamsProperties(config);
    // TopologyTestDriver drops dead letters under exactly_once_v2 (see ArmguardTopologyTest)
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    props.put(DeadLetterHandler.METRICS_CONFIG, metrics);
    driver =
        new TopologyTestDriver(
            ArmguardTopology.buildTopology(
                config,
                serdes,
                new EnginePool(FailingCountEngine::new, MODELS),
                metrics,
                clock::get),
            props,
            Instant.ofEpochMilli(0));
    server =
        new HealthServer(
            new InetSocketAddress("127.0.0.1", 0),
            () -> true,
            () -> new Readiness(List.of()),
            registry,
            null,
            null);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (driver != null) {
      driver.close();
    }
    jvm.close();
  }

  @Test
  void latenciesAreHistogramsWithBucketsThatAddUp() throws Exception {
    TestInputTopic<String, GenerationRequest> requests =
        driver.createInputTopic(
            config.requestsTopic(), Serdes.String().serializer(), serdes.request().serializer());
    for (int i = 0; i < 3; i++) {
      requests.pipeInput("g" + i, TestRequests.generate("g" + i, "once upon a time"));
    }
    clock.addAndGet(30); // the three have waited 30 ms when the fourth fills the batch
    requests.pipeInput("g3", TestRequests.generate("g3", "once upon a time"));

    Scrape scrape = scrape();
    assertTrue(scrape.text().contains("# TYPE armguard_decode_seconds histogram"), scrape.text());
    assertTrue(scrape.text().contains("# TYPE armguard_queue_wait_seconds histogram"));
    assertTrue(scrape.text().contains("# TYPE armguard_batch_size histogram"));
    for (Duration bound : PipelineMetrics.LATENCY_BUCKETS) {
      String le = "{le=\"" + bound.toNanos() / 1e9 + "\"}";
      assertNotNull(scrape.value("armguard_decode_seconds_bucket" + le), "decode bucket " + le);
      assertNotNull(scrape.value("armguard_queue_wait_seconds_bucket" + le), "wait bucket " + le);
    }
    assertEquals(1.0, scrape.value("armguard_decode_seconds_bucket{le=\"+Inf\"}"));
    assertEquals(1.0, scrape.value("armguard_decode_seconds_count"));
    // one request waited 0 ms, three waited 30 ms: cumulative buckets 1 up to 25 ms, 4 from 50 ms
    assertEquals(1.0, scrape.value("armguard_queue_wait_seconds_bucket{le=\"0.025\"}"));
    assertEquals(4.0, scrape.value("armguard_queue_wait_seconds_bucket{le=\"0.05\"}"));
    assertEquals(4.0, scrape.value("armguard_queue_wait_seconds_bucket{le=\"+Inf\"}"));
    assertEquals(0.09, scrape.value("armguard_queue_wait_seconds_sum"), 1e-9);
    // one batch of four
    assertEquals(0.0, scrape.value("armguard_batch_size_bucket{le=\"2.0\"}"));
    assertEquals(1.0, scrape.value("armguard_batch_size_bucket{le=\"4.0\"}"));
    assertEquals(1.0, scrape.value("armguard_batch_size_bucket{le=\"+Inf\"}"));
  }

  @Test
  void modelInfoNamesEachLoadedModel() throws Exception {
    Scrape scrape = scrape();
    for (LoadedModel m : MODELS) {
      String series =
          "armguard_model_info{name=\""
              + m.name()
              + "\",role=\""
              + m.role()
              + "\",sha256=\""
              + m.sha256()
              + "\"}";
      assertEquals(1.0, scrape.value(series), series + " in\n" + scrape.text());
    }
  }

  @Test
  void jvmAndProcessMetricsAreBound() throws Exception {
    Scrape scrape = scrape();
    for (String series :
        List.of(
            "jvm_memory_used_bytes{area=\"heap\"",
            "jvm_memory_max_bytes{",
            "jvm_buffer_memory_used_bytes{",
            "jvm_gc_",
            "jvm_threads_live_threads ",
            "jvm_classes_loaded_classes ",
            "process_cpu_usage ",
            "system_cpu_count ",
            "process_uptime_seconds ",
            "process_start_time_seconds ",
            "process_files_open_files ")) {
      assertTrue(scrape.text().contains(series), series);
    }
    assertTrue(scrape.value("jvm_threads_live_threads") > 0);
  }

  @Test
  void eachDeadLetterIsCountedUnderTheReasonItsHeaderGives() throws Exception {
    TestInputTopic<byte[], byte[]> raw =
        driver.createInputTopic(
            config.requestsTopic(), new ByteArraySerializer(), new ByteArraySerializer());
    TestInputTopic<String, GenerationRequest> requests =
        driver.createInputTopic(
            config.requestsTopic(), Serdes.String().serializer(), serdes.request().serializer());
    TestOutputTopic<byte[], byte[]> dlq =
        driver.createOutputTopic(
            config.dlqTopic(),
            Serdes.ByteArray().deserializer(),
            Serdes.ByteArray().deserializer());
    raw.pipeInput(bytes("junk-1"), bytes("this is not avro"));
    raw.pipeInput(bytes("junk-2"), bytes("nor is this"));
    // a processor that throws (not bad input: an engine failure): log-and-continue writes it too
    requests.pipeInput(
        "boom", TestRequests.generate("boom", "a prompt with " + FailingCountEngine.BOOM));

    Map<String, Integer> byReason = new LinkedHashMap<>();
    for (TestRecord<byte[], byte[]> letter : dlq.readRecordsToList()) {
      String reason =
          new String(
              letter.headers().lastHeader("__streams.errors.exception").value(),
              StandardCharsets.UTF_8);
      byReason.merge(reason, 1, Integer::sum);
    }
    assertEquals(2, byReason.size(), "two reasons: " + byReason);
    Scrape scrape = scrape();
    for (Map.Entry<String, Integer> e : byReason.entrySet()) {
      assertEquals(
          e.getValue().doubleValue(),
          scrape.value("armguard_dead_letters_total{reason=\"" + e.getKey() + "\"}"),
          e.getKey() + " in\n" + scrape.text());
    }
    assertEquals(
        1.0,
        scrape.value(
            "armguard_dead_letters_total{reason=\""
                + IllegalStateException.class.getName()
                + "\"}"),
        "the processor's exception");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private Scrape scrape() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    return new Scrape(r.body());
  }

  /** A Prometheus text exposition: each sample's value by its series (name and labels). */
  private record Scrape(String text) {
    Double value(String series) {
      for (String line : text.split("\n")) {
        if (!line.startsWith("#") && line.startsWith(series + " ")) {
          return Double.parseDouble(line.substring(series.length() + 1).trim());
        }
      }
      return null;
    }
  }
}
