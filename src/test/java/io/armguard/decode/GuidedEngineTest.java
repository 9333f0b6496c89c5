package io.armguard.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.armguard.model.CausalLm;
import io.armguard.model.GptBackbone;
import io.armguard.model.TextTokenizer;
import io.armguard.model.TinyModels;
import io.armguard.reward.RewardFixtures;
import io.armguard.reward.RewardModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The GuidedEngine with ARM and RAD reward models, end to end on tiny random models. */
class GuidedEngineTest {

  private static DecodingModels models;
  private static GuidedEngine engine;
  private static RewardModel arm;
  private static RewardModel rad;
  private static TextTokenizer tokenizer;
  private static final String[] PROMPTS = {"The quick brown fox", "Hi", "Once upon a time, in"};

  @BeforeAll
  static void setUp() throws Exception {
    NDManager manager = NDManager.newBaseManager();
    tokenizer = RewardFixtures.tokenizer();
    CausalLm lm =
        new CausalLm(GptBackbone.randomlyInitialized(RewardFixtures.lmConfig(), manager, 21))
            .forInference();
    arm = RewardFixtures.arm(manager, tokenizer, 31);
    rad = RewardFixtures.rad(manager, tokenizer, 32);
    models = new DecodingModels(lm, tokenizer, "tiny-lm@test", List.of(arm, rad), manager);
    engine = models.newEngine();
  }

  @AfterAll
  static void tearDown() {
    engine.close();
    models.close();
  }

  private static DecodeRequest req(
      String id,
      String prompt,
      int maxNew,
      float temperature,
      long seed,
      Strategy strategy,
      float beta,
      SteeringDirection direction) {
    return new DecodeRequest(id, prompt, maxNew, 10, temperature, seed, strategy, beta, direction);
  }

  @Test
  void betaZeroReproducesUnguidedTokenForToken() {
    List<DecodeRequest> batch = new ArrayList<>();
    for (int i = 0; i < PROMPTS.length; i++) {
      for (Strategy s : Strategy.values()) {
        batch.add(req(s + "-" + i, PROMPTS[i], 12, 1f, 100 + i, s, 0f, dir(i)));
      }
    }
    List<DecodeResult> out = engine.generate(batch); // one mixed batch: grouped by strategy
    for (int i = 0; i < PROMPTS.length; i++) {
      DecodeResult unguided = out.get(3 * i);
      assertEquals("UNGUIDED-" + i, unguided.id());
      for (int s = 1; s < 3; s++) {
        DecodeResult guided = out.get(3 * i + s);
        assertArrayEquals(unguided.tokenIds(), guided.tokenIds(), guided.id());
        assertEquals(unguided.text(), guided.text());
        assertEquals(0, guided.stats().changedSteps());
        assertEquals(guided.tokenIds().length, guided.tokenRewards().length);
        assertTrue(sum(guided.tokenRewards()) > 0, "guided rows report their rewards");
      }
    }
  }

  @Test
  void largeBetaPicksTheFavouredCandidateAndDirectionFlipsIt() {
    for (RewardModel rm : List.of(arm, rad)) {
      Strategy strategy = RewardGuidanceProvider.strategyOf(rm);
      for (String prompt : PROMPTS) {
        int[] ids = tokenizer.encode(prompt);
        float[] logits;
        try (NDManager m = NDManager.newBaseManager()) {
          logits = TinyModels.nextLogits(models.lm(), ids, m);
        }
        int[] top = topK(logits, 10);
        float[] r = new float[10];
        for (int i = 0; i < 10; i++) {
          r[i] = RewardFixtures.naiveScore(rm, ids, top[i]);
        }
        int best = argmax(r);
        int worst = argmax(negate(r));
        assertNotEquals(top[best], top[worst]);
        DecodeResult toward =
            engine
                .generate(
                    List.of(
                        req(
                            "t",
                            prompt,
                            1,
                            0f,
                            1,
                            strategy,
                            1000f,
                            SteeringDirection.TOWARD_LABEL)))
                .get(0);
        DecodeResult away =
            engine
                .generate(
                    List.of(
                        req(
                            "a",
                            prompt,
                            1,
                            0f,
                            1,
                            strategy,
                            1000f,
                            SteeringDirection.AWAY_FROM_LABEL)))
                .get(0);
        DecodeResult plain =
            engine
                .generate(
                    List.of(
                        req("p", prompt, 1, 0f, 1, strategy, 0f, SteeringDirection.TOWARD_LABEL)))
                .get(0);
        assertEquals(top[best], toward.tokenIds()[0], strategy + " toward: " + prompt);
        assertEquals(top[worst], away.tokenIds()[0], strategy + " away: " + prompt);
        assertEquals(top[0], plain.tokenIds()[0], "beta 0 greedy = LM argmax");
        assertEquals(r[best], toward.tokenRewards()[0], 2e-5f);
        assertEquals(best == 0 ? 0 : 1, toward.stats().changedSteps());
      }
    }
  }

  @Test
  void emittedRewardsEqualNaiveScoresAndDoNotDependOnBatchMates() {
    for (RewardModel rm : List.of(arm, rad)) {
      Strategy strategy = RewardGuidanceProvider.strategyOf(rm);
      int[] budgets = {5, 14, 9}; // unequal: finished rows are dropped mid-batch
      List<DecodeRequest> batch = new ArrayList<>();
      for (int i = 0; i < PROMPTS.length; i++) {
        batch.add(req("r" + i, PROMPTS[i], budgets[i], 1f, 7 + i, strategy, 4f, dir(i)));
      }
      List<DecodeResult> together = engine.generate(batch);
      int changed = 0;
      for (int i = 0; i < PROMPTS.length; i++) {
        DecodeResult t = together.get(i);
        DecodeResult alone = engine.generate(List.of(batch.get(i))).get(0);
        assertArrayEquals(alone.tokenIds(), t.tokenIds(), strategy + " row " + i);
        assertArrayEquals(alone.tokenRewards(), t.tokenRewards(), 1e-5f);
        int[] prefix = tokenizer.encode(PROMPTS[i]);
        assertEquals(prefix.length, t.promptTokens());
        for (int s = 0; s < t.tokenIds().length; s++) {
          float expected = RewardFixtures.naiveScore(rm, prefix, t.tokenIds()[s]);
          assertEquals(
              expected, t.tokenRewards()[s], 2e-5f, strategy + " row " + i + " token " + s);
          prefix = RewardGuidanceTest.append(prefix, t.tokenIds()[s]);
        }
        changed += t.stats().changedSteps();
      }
      assertTrue(changed > 0, "beta 4 should change some choices");
    }
  }

  @Test
  void scorePrefixesScoresEveryPrefixInOnePass() {
    List<TextScoreRequest> batch =
        List.of(
            new TextScoreRequest("Hello", " world, how are you?"),
            new TextScoreRequest("", "abc def"),
            new TextScoreRequest("context only", ""));
    List<PrefixScores> out = engine.scorePrefixes(batch);
    assertEquals(arm.id(), engine.rewardId(), "the first reward model scores prefixes");
    for (int i = 0; i < 2; i++) {
      TextScoreRequest r = batch.get(i);
      PrefixScores p = out.get(i);
      int[] prefix = r.context().isEmpty() ? new int[0] : tokenizer.encode(r.context());
      assertArrayEquals(tokenizer.encode(r.text()), p.tokenIds());
      assertEquals(r.text().length(), p.tokenEndChars()[p.tokenEndChars().length - 1]);
      for (int t = 0; t < p.tokenIds().length; t++) {
        assertEquals(
            RewardFixtures.naiveScore(arm, prefix, p.tokenIds()[t]), p.steering()[t], 2e-5f);
        prefix = RewardGuidanceTest.append(prefix, p.tokenIds()[t]);
      }
      assertEquals(p.finalScore(), p.finalLabelScores().get("toxicity"));
      assertEquals(RewardFixtures.LABELS, List.copyOf(p.finalLabelScores().keySet()));
    }
    PrefixScores empty = out.get(2);
    assertEquals(0, empty.tokenIds().length);
    assertEquals(Map.of("insult", 0f, "toxicity", 0f), empty.finalLabelScores());
  }

  @Test
  void countsTokensAndReportsIds() {
    assertEquals(tokenizer.encode(PROMPTS[2]).length, engine.countTokens(PROMPTS[2]));
    assertEquals(64, engine.contextSize());
    assertEquals("tiny-lm@test", engine.lmId());
  }

  private static SteeringDirection dir(int i) {
    return i % 2 == 0 ? SteeringDirection.AWAY_FROM_LABEL : SteeringDirection.TOWARD_LABEL;
  }

  private static float sum(float[] a) {
    float s = 0;
    for (float x : a) {
      s += x;
    }
    return s;
  }

  private static float[] negate(float[] a) {
    float[] out = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = -a[i];
    }
    return out;
  }

  private static int argmax(float[] a) {
    int best = 0;
    for (int i = 1; i < a.length; i++) {
      if (a[i] > a[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Ids of the k largest logits, descending. */
  private static int[] topK(float[] logits, int k) {
    return java.util.stream.IntStream.range(0, logits.length)
        .boxed()
        .sorted((a, b) -> Float.compare(logits[b], logits[a]))
        .limit(k)
        .mapToInt(Integer::intValue)
        .toArray();
  }
}
