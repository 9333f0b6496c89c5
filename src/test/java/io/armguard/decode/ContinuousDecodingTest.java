package io.armguard.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.armguard.model.CausalLm;
import io.armguard.model.GptBackbone;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.RewardFixtures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Iteration-level decoding ({@link RollingDecoder}) on tiny random models: rows that join a running
 * batch at token boundaries, ragged prompts and budgets, leave as they finish, and still produce
 * exactly the tokens (and rewards) they produce decoded alone, for every strategy; the row limit
 * holds; refused requests never reach the decode loop; a failed pass fails its own rows only.
 */
class ContinuousDecodingTest {

  private static NDManager manager;
  private static TextTokenizer tokenizer;
  private static DecodingModels models;
  private static DecodingEngine engine;
  private static final String[] PROMPTS = {
    "The quick brown fox", "Hi", "Once upon a time, in a land", "", "you are a"
  };

  @BeforeAll
  static void setUp() throws Exception {
    manager = NDManager.newBaseManager();
    tokenizer = RewardFixtures.tokenizer();
    models = TinyDecodingModels.create(manager, tokenizer);
    engine = (DecodingEngine) models.newEngine();
  }

  @AfterAll
  static void tearDown() {
    engine.close();
    models.close();
    manager.close();
  }

  private static DecodeRequest req(String id, int prompt, int maxNew, Strategy s, long seed) {
    return new DecodeRequest(
            id, PROMPTS[prompt], maxNew, 6, 1f, seed, s, 5f, SteeringDirection.AWAY_FROM_LABEL)
        .withMinNewTokens(Math.min(2, maxNew));
  }

  /** Collects results by request id. */
  private static final class Results implements ContinuousDecoding.Listener {
    final Map<String, DecodeResult> done = new LinkedHashMap<>();
    final List<RuntimeException> failed = new ArrayList<>();

    @Override
    public void done(DecodeResult result) {
      done.put(result.id(), result);
    }

    @Override
    public void failed(RuntimeException cause) {
      failed.add(cause);
    }
  }

  @Test
  void rowsJoiningAtTokenBoundariesDecodeAsTheyWouldAlone() {
    for (Strategy s : Strategy.values()) {
      // waves of requests: admitted at iterations 0, 2 and 5, of different prompts and budgets
      List<List<DecodeRequest>> waves =
          List.of(
              List.of(req(s + "-a", 0, 12, s, 1), req(s + "-b", 1, 3, s, 2)),
              List.of(req(s + "-c", 2, 9, s, 3), req(s + "-d", 3, 1, s, 4)),
              List.of(req(s + "-e", 4, 7, s, 5)));
      int[] admitAt = {0, 2, 5};
      Results results = new Results();
      try (ContinuousDecoding d = engine.continuous(8)) {
        int wave = 0;
        for (int it = 0; it < 40 && (wave < waves.size() || d.rows() > 0); it++) {
          if (wave < waves.size() && it == admitAt[wave]) {
            for (DecodeRequest r : waves.get(wave)) {
              d.admit(r, false, results);
            }
            wave++;
          }
          d.iterate();
        }
        assertEquals(0, d.rows(), s + ": every row finished");
        assertTrue(d.stats().meanRows() > 1, s + ": rows shared steps: " + d.stats());
      }
      assertEquals(List.of(), results.failed);
      for (List<DecodeRequest> w : waves) {
        w.forEach(r -> assertDecodesAsAlone(r, results));
      }
    }
  }

  /** The row's tokens, text and rewards (within 1e-4) equal what it decodes alone. */
  private static void assertDecodesAsAlone(DecodeRequest r, Results results) {
    DecodeResult alone = engine.generate(List.of(r)).get(0);
    DecodeResult rolled = results.done.get(r.id());
    assertNotNull(rolled, r.id());
    assertArrayEquals(alone.tokenIds(), rolled.tokenIds(), r.id());
    assertEquals(alone.text(), rolled.text(), r.id());
    assertEquals(alone.promptTokens(), rolled.promptTokens(), r.id());
    assertEquals(alone.stats().changedSteps(), rolled.stats().changedSteps(), r.id());
    for (int i = 0; i < alone.tokenRewards().length; i++) {
      assertEquals(alone.tokenRewards()[i], rolled.tokenRewards()[i], 1e-4f, r.id() + " " + i);
    }
  }

  @Test
  void rowsOfEveryStrategyShareOneTokenStepAndDecodeAsTheyWouldAlone() {
    DecodeRequest radK4 =
        new DecodeRequest(
                "rad-k4",
                PROMPTS[3],
                10,
                4,
                1f,
                14,
                Strategy.RAD,
                5f,
                SteeringDirection.AWAY_FROM_LABEL)
            .withMinNewTokens(2);
    List<DecodeRequest> first =
        List.of(
            req("plain", 0, 12, Strategy.UNGUIDED, 11),
            req("arm", 1, 9, Strategy.ARM, 12),
            req("rad-k6", 2, 7, Strategy.RAD, 13),
            radK4);
    DecodeRequest late = req("arm-late", 4, 6, Strategy.ARM, 15);
    Results results = new Results();
    try (ContinuousDecoding d = engine.continuous(8)) {
      first.forEach(r -> d.admit(r, false, results));
      assertEquals(4, d.iterate(), "four strategies' rows in the first step");
      assertEquals(1, d.stats().steps(), "one LM step for all of them");
      d.iterate();
      d.admit(late, false, results); // joins a lane that exists, beside three others
      for (int it = 0; it < 40 && d.rows() > 0; it++) {
        d.iterate();
      }
      assertEquals(0, d.rows());
      assertTrue(d.stats().meanRows() > 2.5, "rows of all lanes shared steps: " + d.stats());
    }
    assertEquals(List.of(), results.failed);
    first.forEach(r -> assertDecodesAsAlone(r, results));
    assertDecodesAsAlone(late, results);
  }

  @Test
  void theRowLimitHoldsAndWaitingRowsJoinAsOthersLeave() {
    Results results = new Results();
    try (ContinuousDecoding d = engine.continuous(2)) {
      for (int i = 0; i < 5; i++) {
        d.admit(req("r" + i, i, 2 + i, Strategy.ARM, i), false, results);
      }
      int maxStepped = 0;
      for (int it = 0; it < 60 && d.rows() > 0; it++) {
        maxStepped = Math.max(maxStepped, d.iterate());
      }
      assertEquals(0, d.rows());
      assertEquals(2, maxStepped, "never more than maxRows rows in a step");
    }
    assertEquals(5, results.done.size());
    for (int i = 0; i < 5; i++) {
      DecodeRequest r = req("r" + i, i, 2 + i, Strategy.ARM, i);
      assertArrayEquals(
          engine.generate(List.of(r)).get(0).tokenIds(), results.done.get(r.id()).tokenIds());
    }
  }

  @Test
  void refusedRequestsFailAtAdmission() {
    Results results = new Results();
    try (ContinuousDecoding d = engine.continuous(4)) {
      DecodeRequest tooLong =
          new DecodeRequest(
              "long",
              "Hi",
              500,
              6,
              1f,
              1,
              Strategy.UNGUIDED,
              0f,
              SteeringDirection.AWAY_FROM_LABEL);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> d.admit(tooLong, false, results));
      assertTrue(e.getMessage().contains("exceeds the context"), e.getMessage());
      assertEquals(0, d.rows());
      assertEquals(0, d.iterate());
    }
  }

  @Test
  void closingFailsTheRowsStillDecoding() {
    Results results = new Results();
    ContinuousDecoding d = engine.continuous(4);
    d.admit(req("x", 0, 10, Strategy.RAD, 1), false, results);
    d.admit(req("y", 1, 10, Strategy.UNGUIDED, 2), false, results);
    d.iterate();
    d.admit(req("z", 2, 10, Strategy.ARM, 3), false, results);
    d.close();
    assertEquals(3, results.failed.size());
    assertEquals(0, d.rows());
    assertThrows(
        IllegalStateException.class,
        () -> d.admit(req("late", 0, 2, Strategy.ARM, 1), false, results));
  }

  @Test
  void aGuidanceThatCannotJoinFailsItsOwnRowsOnly() throws Exception {
    try (TextTokenizer tok = TextTokenizer.gpt2(43);
        DecodingEngine parity =
            new DecodingEngine(
                new CausalLm(GptBackbone.randomlyInitialized(RewardFixtures.lmConfig(), manager, 5))
                    .forInference(),
                tok,
                "tiny@0",
                List.of(new ParityGuidance()),
                null,
                manager);
        ContinuousDecoding d = parity.continuous(4)) {
      Results results = new Results();
      d.admit(req("rad", 0, 4, Strategy.RAD, 1), false, results);
      d.admit(req("plain", 1, 4, Strategy.UNGUIDED, 2), false, results);
      for (int it = 0; it < 10 && d.rows() > 0; it++) {
        d.iterate();
      }
      assertEquals(0, d.rows());
      assertEquals(1, results.failed.size());
      assertInstanceOf(IllegalStateException.class, results.failed.get(0));
      assertEquals(List.of("plain"), List.copyOf(results.done.keySet()));
    }
  }

  @Test
  void anEngineWithoutTokenStepsDecodesEachIterationWhole() {
    GuidedEngine whole = new Forwarder(engine); // not a DecodingEngine: the interface's default
    Results results = new Results();
    try (ContinuousDecoding d = whole.continuous(3)) {
      assertInstanceOf(WholeCallDecoding.class, d);
      for (int i = 0; i < 4; i++) {
        d.admit(req("w" + i, i, 3, Strategy.UNGUIDED, i), i == 3, results);
      }
      assertEquals(3, d.iterate());
      assertEquals(1, d.iterate());
      assertEquals(0, d.rows());
    }
    assertEquals(4, results.done.size());
  }

  /** Every abstract method forwarded; {@code continuous} left to the interface's default. */
  private record Forwarder(GuidedEngine e) implements GuidedEngine {
    @Override
    public List<DecodeResult> generate(List<DecodeRequest> batch) {
      return e.generate(batch);
    }

    @Override
    public List<PrefixScores> scorePrefixes(List<TextScoreRequest> batch) {
      return e.scorePrefixes(batch);
    }

    @Override
    public boolean supports(Strategy strategy) {
      return e.supports(strategy);
    }

    @Override
    public List<String> labels() {
      return e.labels();
    }

    @Override
    public String steeringLabel() {
      return e.steeringLabel();
    }

    @Override
    public int countTokens(String text) {
      return e.countTokens(text);
    }

    @Override
    public int contextSize() {
      return e.contextSize();
    }

    @Override
    public String lmId() {
      return e.lmId();
    }

    @Override
    public String rewardId() {
      return e.rewardId();
    }

    @Override
    public void close() {}
  }
}
