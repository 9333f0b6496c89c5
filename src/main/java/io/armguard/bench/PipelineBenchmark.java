package io.armguard.bench;

import io.armguard.config.ArmguardConfig;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.Mode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bench pipeline}: the same workload decoded through Kafka (a running armguard: broker,
 * micro-batching topology, exactly-once) and directly (the same moderator and engine in batches of
 * {@code batch.size}, no Kafka), alternating the two for a number of rounds so that load drifting
 * on a shared machine hits both sides; reports medians. The caller starts and closes the pipeline,
 * the producer, the collector and the direct engine. Used from one thread.
 */
public final class PipelineBenchmark {

  private static final List<String> PROMPTS =
      List.of(
          "The weather in the mountains today is",
          "You are such a stupid",
          "Once upon a time, in a small village,",
          "My favourite thing about weekends is",
          "The meeting was cancelled because");

  /**
   * What to measure.
   *
   * @param requests GENERATE requests per round
   * @param maxNewTokens tokens per request
   * @param rounds measured rounds of (direct on the worker, direct on the calling thread, Kafka)
   * @param warmupRounds unreported rounds of all three first (the JIT compiles the hot paths)
   */
  public record Settings(int requests, int maxNewTokens, int rounds, int warmupRounds) {
    public Settings {
      if (requests < 1 || rounds < 1 || warmupRounds < 0) {
        throw new IllegalArgumentException(
            "requests and rounds must be >= 1, warm-up rounds >= 0: " + this);
      }
    }
  }

  private final Settings settings;
  private final ArmguardConfig running;
  private final DirectModeration direct;
  private final KafkaRoundTrip kafka;

  /**
   * @param running the running pipeline's configuration (batch size, commit interval, device)
   */
  public PipelineBenchmark(
      Settings settings, ArmguardConfig running, DirectModeration direct, KafkaRoundTrip kafka) {
    this.settings = settings;
    this.running = running;
    this.direct = direct;
    this.kafka = kafka;
  }

  /** Number of measured parts (three per round), for a progress bar. */
  public int measuredParts() {
    return 3 * settings.rounds();
  }

  /**
   * Runs the warm-up and measured rounds; {@code onPart} is called after each measured part.
   *
   * @param randomModels whether the models are random stand-ins (reported, not measured)
   */
  public PipelineBenchResult run(boolean randomModels, Runnable onPart) {
    for (int w = 0; w < settings.warmupRounds(); w++) {
      List<GenerationRequest> warm = workload("warmup" + w + "-");
      direct.secondsOnWorker(warm);
      direct.secondsOnCallingThread(warm);
      kafka.round(warm);
    }
    int rounds = settings.rounds();
    double[] directS = new double[rounds];
    double[] directMainS = new double[rounds];
    List<KafkaRoundTrip.Round> pipeline = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      List<GenerationRequest> work = workload("r" + r + "-");
      directS[r] = direct.secondsOnWorker(work);
      onPart.run();
      directMainS[r] = direct.secondsOnCallingThread(work);
      onPart.run();
      pipeline.add(kafka.round(work));
      onPart.run();
    }
    return new PipelineBenchResult(settings, running, directS, directMainS, pipeline, randomModels);
  }

  /** The benchmarks' i-th prompt (a few fixed ones in turn). */
  static String prompt(int i) {
    return PROMPTS.get(i % PROMPTS.size());
  }

  private List<GenerationRequest> workload(String prefix) {
    List<GenerationRequest> out = new ArrayList<>(settings.requests());
    for (int i = 0; i < settings.requests(); i++) {
      out.add(
          GenerationRequest.newBuilder()
              .setRequestId(prefix + i)
              .setMode(Mode.GENERATE)
              .setPrompt(prompt(i))
              .setMaxNewTokens(settings.maxNewTokens())
              .setSeed((long) i)
              .setCreatedAt(Instant.now())
              .build());
    }
    return out;
  }
}
