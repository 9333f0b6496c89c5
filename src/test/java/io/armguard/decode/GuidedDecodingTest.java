package io.armguard.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.armguard.model.CausalLm;
import io.armguard.model.TinyModels;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The guidance plug-in point: bonus per request, beta 0 = unguided, stats, lifecycle. */
class GuidedDecodingTest {

  private static NDManager manager;
  private static CausalLm lm;
  private static final int[][] PROMPTS = {{3, 1, 4, 1, 5}, {9, 2}};

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
    lm = TinyModels.lm(TinyModels.config(), manager, 21);
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  private static DecodeRequest req(
      float beta, SteeringDirection dir, float temperature, long seed) {
    return new DecodeRequest("r", "p", 16, 20, temperature, seed, Strategy.RAD, beta, dir);
  }

  @Test
  void betaZeroReproducesUnguidedSampling() {
    BatchDecoder d = new BatchDecoder(lm, manager, -1);
    List<DecodeRequest> guided =
        List.of(
            req(0f, SteeringDirection.AWAY_FROM_LABEL, 1f, 7),
            req(0f, SteeringDirection.TOWARD_LABEL, 0f, 8));
    DecodedBatch g = d.decode(PROMPTS, guided, new ParityGuidance());
    DecodedBatch u = d.decode(PROMPTS, guided, null);
    for (int b = 0; b < 2; b++) {
      assertArrayEquals(u.outputs().get(b).tokenIds(), g.outputs().get(b).tokenIds());
      assertEquals(0, g.outputs().get(b).stats().changedSteps());
      assertEquals(16, g.outputs().get(b).stats().steps());
    }
  }

  @Test
  void largeBetaSteersAwayFromOrTowardTheLabel() {
    BatchDecoder d = new BatchDecoder(lm, manager, -1);
    ParityGuidance parity = new ParityGuidance();
    DecodedBatch out =
        d.decode(
            PROMPTS,
            List.of(
                req(1000f, SteeringDirection.AWAY_FROM_LABEL, 1f, 1),
                req(1000f, SteeringDirection.TOWARD_LABEL, 1f, 2)),
            parity);
    SequenceOutput away = out.outputs().get(0);
    SequenceOutput toward = out.outputs().get(1);
    for (int i = 0; i < 16; i++) {
      assertEquals(0, away.tokenIds()[i] % 2, "away from the label: even ids only");
      assertEquals(0f, away.tokenRewards()[i]);
      assertEquals(1, toward.tokenIds()[i] % 2, "toward the label: odd ids only");
      assertEquals(1f, toward.tokenRewards()[i]);
    }
    assertTrue(away.stats().changedSteps() > 0);
    assertTrue(away.stats().meanRewardShift() < 0, "expected r falls when steering away");
    assertTrue(toward.stats().meanRewardShift() > 0);
    assertEquals(1, parity.starts);
    assertEquals(16, parity.scores);
    assertEquals(16, parity.advances);
    assertEquals(1, parity.closes);
  }

  @Test
  void finishedRowsAreDroppedWhenTheGuidanceCanFollow() {
    BatchDecoder d = new BatchDecoder(lm, manager, -1);
    int[][] prompts = {{1, 2, 3}, {4}, {5, 6}, {7, 8, 9, 10}};
    int[] budgets = {2, 2, 9, 6};
    List<DecodeRequest> reqs = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      reqs.add(
          new DecodeRequest(
              "r" + i,
              "p",
              budgets[i],
              20,
              1f,
              i,
              Strategy.RAD,
              0f,
              SteeringDirection.AWAY_FROM_LABEL));
    }
    ParityGuidance follows = new ParityGuidance(true);
    ParityGuidance stays = new ParityGuidance(false);
    DecodedBatch compacted = d.decode(prompts, reqs, follows);
    DecodedBatch full = d.decode(prompts, reqs, stays);
    assertEquals(List.of(4L, 4L, 2L, 2L, 2L, 2L, 1L, 1L, 1L), follows.scoredRows);
    assertEquals(List.of(4L, 4L, 4L, 4L, 4L, 4L, 4L, 4L, 4L), stays.scoredRows);
    for (int i = 0; i < 4; i++) {
      int[] alone =
          d.decode(new int[][] {prompts[i]}, List.of(reqs.get(i)), null)
              .outputs()
              .get(0)
              .tokenIds();
      assertArrayEquals(alone, compacted.outputs().get(i).tokenIds(), "row " + i);
      assertArrayEquals(alone, full.outputs().get(i).tokenIds(), "row " + i);
      assertEquals(budgets[i], alone.length);
    }
  }

  @Test
  void engineGroupsMixedStrategies() throws Exception {
    try (var tok = io.armguard.model.TextTokenizer.gpt2(43);
        DecodingEngine engine =
            new DecodingEngine(lm, tok, "tiny@0", List.of(new ParityGuidance()), null, manager)) {
      DecodeRequest plain =
          new DecodeRequest(
              "u", "Hello", 5, 10, 1f, 3, Strategy.UNGUIDED, 0f, SteeringDirection.AWAY_FROM_LABEL);
      DecodeRequest steered =
          new DecodeRequest(
              "g", "", 5, 10, 1f, 3, Strategy.RAD, 1000f, SteeringDirection.AWAY_FROM_LABEL);
      List<DecodeResult> results = engine.generate(List.of(steered, plain));
      assertEquals("g", results.get(0).id());
      assertEquals("u", results.get(1).id());
      assertEquals(1, results.get(0).promptTokens(), "empty prompt starts from <|endoftext|>");
      assertEquals(GuidanceStats.NONE, results.get(1).stats());
      for (int t : results.get(0).tokenIds()) {
        assertEquals(0, t % 2);
      }
      assertEquals(tok.decode(results.get(1).tokenIds()), results.get(1).text());
    }
  }
}
