package io.armguard.cli;

import io.armguard.config.ArmguardConfig;
import io.armguard.decode.GuidedEngine;
import io.armguard.moderate.BatchModerator;
import io.armguard.moderate.ModerationPolicy;
import io.armguard.moderate.Task;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.Mode;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code armguard bench pipeline}: the same workload decoded through Kafka (in-process broker,
 * micro-batching topology, exactly-once) and directly (the same moderator and engine in batches of
 * {@code batch.size}, no Kafka), in one run; prints one JSON line.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = {
      "Push N GENERATE requests through a real (in-process) broker and the armguard topology, and"
          + " decode the same N requests directly without Kafka, in the same run.",
      "Prints {\"pipeline_rps\",\"direct_rps\",\"ratio\" (pipeline/direct),\"p50_ms\",\"p99_ms\""
          + " (request produced -> completion consumed), ...}."
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
    List<GenerationRequest> work = workload("req-", requests);
    try (ServiceModels models = ServiceModels.load(config, true, System.err)) {
      double directSeconds = direct(config, models, work);
      try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(config, models, 1, System.err)) {
        PipelineRun run = pipeline(pipeline, work);
        double pipelineRps = requests / run.seconds;
        double directRps = requests / directSeconds;
        String line =
            String.format(
                Locale.ROOT,
                "{\"bench\":\"pipeline\",\"requests\":%d,\"batch_size\":%d,\"max_new_tokens\":%d,"
                    + "\"pipeline_rps\":%.2f,\"direct_rps\":%.2f,\"ratio\":%.3f,\"p50_ms\":%.1f,"
                    + "\"p99_ms\":%.1f,\"random_models\":%b,\"device\":\"%s\"}",
                requests,
                config.batchSize(),
                maxNewTokens,
                pipelineRps,
                directRps,
                pipelineRps / directRps,
                run.percentile(0.50),
                run.percentile(0.99),
                models.random(),
                config.string(ArmguardConfig.DEVICE));
        if (!json) {
          System.err.printf(
              Locale.ROOT,
              "pipeline %.2f req/s vs direct %.2f req/s (ratio %.3f); latency p50 %.0f ms, p99 %.0f"
                  + " ms%n",
              pipelineRps,
              directRps,
              pipelineRps / directRps,
              run.percentile(0.50),
              run.percentile(0.99));
        }
        System.out.println(line);
        return run.complete ? 0 : 1;
      }
    }
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

  /** Seconds to decode the workload directly, batch.size at a time, after one warm-up batch. */
  private double direct(ArmguardConfig config, ServiceModels models, List<GenerationRequest> work) {
    TaskFactory factory = new TaskFactory(config);
    try (GuidedEngine engine = models.models().newEngine()) {
      BatchModerator moderator =
          new BatchModerator(
              engine,
              new ModerationPolicy(config.rewriteMaxAttempts(), config.rewriteFallbackText()));
      List<Task> tasks = work.stream().map(factory::toTask).toList();
      int b = config.batchSize();
      moderator.decide(tasks.subList(0, Math.min(b, tasks.size())));
      long t0 = System.nanoTime();
      for (int i = 0; i < tasks.size(); i += b) {
        moderator.decide(tasks.subList(i, Math.min(i + b, tasks.size())));
      }
      return (System.nanoTime() - t0) / 1e9;
    }
  }

  private record PipelineRun(double seconds, double[] latenciesMs, boolean complete) {
    double percentile(double q) {
      if (latenciesMs.length == 0) {
        return Double.NaN;
      }
      double[] s = latenciesMs.clone();
      Arrays.sort(s);
      return s[(int) Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
    }
  }

  private PipelineRun pipeline(EmbeddedPipeline pipeline, List<GenerationRequest> work) {
    ArmguardConfig config = pipeline.config();
    List<GenerationRequest> warm = workload("warmup-", config.batchSize());
    Map<String, Long> sent = new HashMap<>();
    try (KafkaProducer<String, GenerationRequest> producer = pipeline.requestProducer();
        OutputCollector collector = new OutputCollector(config, pipeline.serdes(), 1)) {
      for (GenerationRequest r : warm) {
        producer.send(new ProducerRecord<>(config.requestsTopic(), r.getRequestId(), r));
      }
      producer.flush();
      collector.await(warm.size(), 0, 0, Duration.ofMinutes(5), Duration.ZERO, c -> {});
      long t0 = System.nanoTime();
      for (GenerationRequest r : work) {
        sent.put(r.getRequestId(), System.nanoTime());
        producer.send(new ProducerRecord<>(config.requestsTopic(), r.getRequestId(), r));
      }
      producer.flush();
      boolean complete =
          collector.await(
              warm.size() + work.size(), 0, 0, Duration.ofMinutes(10), Duration.ZERO, c -> {});
      long last = t0;
      List<Double> latencies = new ArrayList<>();
      for (OutputCollector.Received r : collector.completions()) {
        Long s = sent.get(r.completion().getRequestId());
        if (s != null) {
          latencies.add((r.receivedNanos() - s) / 1e6);
          last = Math.max(last, r.receivedNanos());
        }
      }
      return new PipelineRun(
          (last - t0) / 1e9,
          latencies.stream().mapToDouble(Double::doubleValue).toArray(),
          complete && latencies.size() == work.size());
    }
  }
}
