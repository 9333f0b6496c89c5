package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.armguard.config.ArmguardConfig;
import io.armguard.decode.DecodingModels;
import io.armguard.decode.GuidedEngine;
import io.armguard.decode.TinyDecodingModels;
import io.armguard.moderate.BatchModerator;
import io.armguard.moderate.ModerationPolicy;
import io.armguard.moderate.Task;
import io.armguard.moderate.Verdict;
import io.armguard.moderate.WordListEngine;
import io.armguard.reward.RewardFixtures;
import io.armguard.schema.BufferedRequest;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.SourceInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The continuous scheduler ({@code decode.scheduler=continuous}) with fake tasks over a real tiny
 * decoding engine and over the word-list engine: requests of many tasks share token steps, a short
 * request offered while a long one decodes is answered first, every answer equals what deciding the
 * request alone gives and goes back to its own task, a failing decision is answered as failed, and
 * closing never hangs.
 */
class ContinuousSchedulerTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ModerationPolicy POLICY =
      ModerationPolicy.builder()
          .maxAttempts(2)
          .rewriteMinNewTokens(2)
          .fallbackText("[withheld]")
          .build();

  private static NDManager manager;
  private static DecodingModels models;

  private final ArmguardConfig config =
      ArmguardConfig.from(Map.of("instance.id", "test-1"), Map.of());
  private final TaskFactory taskFactory = new TaskFactory(config);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private DecodeScheduler scheduler;

  @BeforeAll
  static void setUp() throws Exception {
    manager = NDManager.newBaseManager();
    models = TinyDecodingModels.create(manager, RewardFixtures.tokenizer());
  }

  @AfterAll
  static void tearDown() {
    models.close();
    manager.close();
  }

  @AfterEach
  void close() {
    if (scheduler != null) {
      scheduler.close();
    }
  }

  private static Function<GuidedEngine, DecodeScheduler.BatchDecoding> deciding() {
    return on -> {
      BatchDecider d = new BatchDecider(new BatchModerator(on, POLICY));
      return batch -> d.decide(batch, "test");
    };
  }

  private DecodeScheduler start(GuidedEngine engine, int maxRows) {
    scheduler =
        DecodeScheduler.startContinuous(
            engine,
            new DecodeScheduler.Settings(8, 60_000, 8, maxRows),
            deciding(),
            new PipelineMetrics(registry),
            System::currentTimeMillis);
    return scheduler;
  }

  private static BufferedRequest buffered(GenerationRequest r) {
    return BufferedRequest.newBuilder()
        .setRequest(r)
        .setSource(new SourceInfo("armguard.requests", 0, 0L))
        .setEnqueuedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
        .build();
  }

  private static GenerationRequest generate(String id, String prompt, int maxNewTokens) {
    return GenerationRequest.newBuilder(TestRequests.generate(id, prompt))
        .setMaxNewTokens(maxNewTokens)
        .build();
  }

  private Task offer(DecodeScheduler.Client c, long key, GenerationRequest r) {
    BufferedRequest b = buffered(r);
    Task t = taskFactory.toTask(r);
    assertTrue(c.offer(key, b, t), "offer " + r.getRequestId());
    return t;
  }

  private static List<ScheduledAnswer> answers(DecodeScheduler.Client c, int n) {
    return SchedulerAnswers.answers(c, n, WAIT);
  }

  private static void awaitTrue(BooleanSupplier condition) {
    SchedulerAnswers.awaitTrue(condition, WAIT);
  }

  /** What deciding the task alone, on an engine of its own, gives. */
  private static Verdict alone(GuidedEngine engine, Task t) {
    return new BatchDecider(new BatchModerator(engine, POLICY))
        .decide(List.of(t), "alone")
        .verdicts()
        .get(0);
  }

  @Test
  void requestsOfFourTasksShareTokenStepsAndEachAnswerGoesBackToItsTask() {
    start(models.newEngine(), 8);
    List<DecodeScheduler.Client> clients = new ArrayList<>();
    List<List<Task>> offered = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      DecodeScheduler.Client c = scheduler.register("0_" + t);
      clients.add(c);
      List<Task> mine = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        mine.add(offer(c, 10 * t + i, generate("t" + t + "-" + i, "Once upon a time " + t, 20)));
      }
      offered.add(mine);
    }
    try (GuidedEngine reference = models.newEngine()) {
      int shared = 0;
      for (int t = 0; t < 4; t++) {
        List<ScheduledAnswer> got = answers(clients.get(t), 2);
        assertEquals(2, got.size());
        for (ScheduledAnswer a : got) {
          int i = (int) (a.key() - 10 * t);
          assertTrue(i == 0 || i == 1, "its own key: " + a.key());
          Task task = offered.get(t).get(i);
          assertEquals(task.id(), a.verdict().id());
          assertEquals(alone(reference, task).text(), a.verdict().text(), task.id());
          shared += a.batch().size() > 1 ? 1 : 0;
        }
        assertNull(clients.get(t).poll());
        assertEquals(0, clients.get(t).pending());
      }
      assertTrue(shared > 0, "some requests shared their steps with others");
    }
    double meanRows = registry.get("armguard.batch.size").summary().mean();
    assertTrue(meanRows > 1.5, "mean rows per token step " + meanRows);
  }

  @Test
  void withTwoEnginesRequestsAreDecodedOnBothLoopsAndEqualDecidingAlone() {
    scheduler =
        DecodeScheduler.startContinuous(
            List.of(models.newEngine(), models.newEngine()), // as decode.devices=cpu,cpu
            new DecodeScheduler.Settings(8, 60_000, 16, 2),
            deciding(),
            new PipelineMetrics(registry),
            System::currentTimeMillis);
    DecodeScheduler.Client c = scheduler.register("0_0");
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      tasks.add(offer(c, i, generate("d" + i, "Once upon a time " + i, 20)));
    }
    List<ScheduledAnswer> got = answers(c, 8);
    try (GuidedEngine reference = models.newEngine()) {
      for (ScheduledAnswer a : got) {
        Task task = tasks.get((int) a.key());
        assertEquals(alone(reference, task).text(), a.verdict().text(), task.id());
      }
    }
    List<Long> steps = scheduler.loopStats().stream().map(s -> s.steps()).toList();
    assertEquals(2, steps.size());
    assertTrue(steps.get(0) > 0 && steps.get(1) > 0, "token steps per device loop: " + steps);
  }

  @Test
  void aShortRequestOfferedWhileALongOneDecodesIsAnsweredFirst() {
    start(models.newEngine(), 8);
    DecodeScheduler.Client c = scheduler.register("0_0");
    offer(c, 1, generate("long", "Once upon a time", 40));
    awaitTrue(() -> registry.get("armguard.batch.size").summary().count() >= 3); // decoding
    offer(c, 2, generate("short", "Hi", 3));
    List<ScheduledAnswer> got = answers(c, 2);
    assertEquals(List.of(2L, 1L), got.stream().map(ScheduledAnswer::key).toList());
    assertEquals(
        2.0,
        registry.get("armguard.batch.size").summary().max(),
        "the short one ran beside the long one: token steps of 2 rows");
  }

  @Test
  void moderationVerdictsEqualDecidingEachAlone() {
    WordListEngine words = new WordListEngine();
    start(words, 4);
    DecodeScheduler.Client c = scheduler.register("0_0");
    String[] replies = {
      "Sure, here is how. You are an idiot.", "Thanks for asking, happy to help.", "I hate this."
    };
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < replies.length; i++) {
      tasks.add(offer(c, i, TestRequests.moderate("m" + i, "How do I do this?", replies[i])));
    }
    List<ScheduledAnswer> got = answers(c, replies.length);
    WordListEngine reference = new WordListEngine();
    for (ScheduledAnswer a : got) {
      Verdict expected = alone(reference, tasks.get((int) a.key()));
      assertNotNull(a.verdict(), a.failure());
      assertEquals(expected.action(), a.verdict().action(), expected.id());
      assertEquals(expected.text(), a.verdict().text(), expected.id());
    }
  }

  @Test
  void aDecisionThatThrowsAnErrorIsAnsweredAsFailedAndTheThreadLivesOn() {
    scheduler =
        DecodeScheduler.startContinuous(
            new WordListEngine(),
            new DecodeScheduler.Settings(8, 0, 8, 1),
            on ->
                batch -> {
                  if (batch.get(0).id().equals("x")) {
                    throw new OutOfMemoryError("native");
                  }
                  return new BatchDecider(new BatchModerator(on, POLICY)).decide(batch, "t");
                },
            new PipelineMetrics(registry),
            System::currentTimeMillis);
    DecodeScheduler.Client c = scheduler.register("0_0");
    offer(c, 1, TestRequests.generate("x", "hello"));
    ScheduledAnswer failed = answers(c, 1).get(0);
    assertNull(failed.verdict());
    assertTrue(failed.failure().contains("OutOfMemoryError"), failed.failure());
    offer(c, 2, TestRequests.generate("y", "hello"));
    assertNotNull(answers(c, 1).get(0).verdict(), "the one request thread lives on");
  }

  @Test
  void closeWithRequestsDecodingAndQueuedClosesTheEngineWithoutHanging() {
    WordListEngine words = new WordListEngine();
    start(words, 1);
    DecodeScheduler.Client c = scheduler.register("0_0");
    for (int i = 0; i < 5; i++) {
      offer(c, i, TestRequests.generate("q" + i, "hello"));
    }
    scheduler.close();
    assertTrue(words.closed);
    assertFalse(c.offer(9, buffered(TestRequests.generate("late", "x")), null));
    assertEquals(0, scheduler.queued());
    scheduler = null;
  }
}
