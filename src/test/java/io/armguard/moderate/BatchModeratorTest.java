package io.armguard.moderate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.decode.DecodeRequest;
import io.armguard.decode.PrefixScores;
import io.armguard.decode.SteeringDirection;
import io.armguard.decode.Strategy;
import io.armguard.moderate.Verdict.Action;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchModeratorTest {

  private final WordListEngine engine = new WordListEngine();
  private final BatchModerator moderator =
      new BatchModerator(engine, new ModerationPolicy(2, "[withheld]"));

  private static DecodeRequest decoding(String id, String prompt) {
    return new DecodeRequest(
        id, prompt, 8, 20, 1f, 7L, Strategy.ARM, 10f, SteeringDirection.AWAY_FROM_LABEL);
  }

  private static Task moderate(String id, String prompt, String response) {
    return new Task(Task.Kind.MODERATE, id, prompt, response, decoding(id, prompt), 0.5f);
  }

  @Test
  void cleanResponseIsAllowedUnchanged() {
    Verdict v = moderator.decide(List.of(moderate("a", "hi", "hello there friend"))).get(0);
    assertEquals(Action.ALLOWED, v.action());
    assertEquals("hello there friend", v.text());
    assertFalse(v.flagged());
    assertNull(v.replaced());
    assertEquals(0, engine.generateCalls.get());
  }

  @Test
  void toxicTailIsRewrittenFromTheFirstToxicToken() {
    Verdict v = moderator.decide(List.of(moderate("b", "hi", "you are an idiot and rude"))).get(0);
    assertEquals(Action.REWRITTEN, v.action());
    // "you are an" is kept (prefix scores below 0.5), the rest is regenerated.
    assertEquals("you are an fine words", v.text());
    assertEquals(new Verdict.ReplacedSpan(10, 25), v.replaced());
    assertTrue(v.flagged());
    assertEquals(1, v.attempts());
    assertTrue(v.toxicity() < 0.5f);
  }

  @Test
  void stillToxicAfterAllAttemptsIsBlockedWithFallback() {
    Verdict v =
        moderator
            .decide(List.of(moderate("c", "ALWAYS_TOXIC prompt", "stupid answer here")))
            .get(0);
    assertEquals(Action.BLOCKED, v.action());
    assertEquals("[withheld]", v.text());
    assertEquals(2, v.attempts());
    assertEquals(new Verdict.ReplacedSpan(0, 18), v.replaced());
    assertEquals(2, engine.generateCalls.get());
  }

  @Test
  void mixedBatchUsesOneGenerateCallPerRound() {
    Task gen =
        new Task(Task.Kind.GENERATE, "g", "once upon", null, decoding("g", "once upon"), 0.5f);
    List<Verdict> out =
        moderator.decide(
            List.of(gen, moderate("m1", "q", "idiot"), moderate("m2", "q", "fine"), gen));
    assertEquals(List.of("g", "m1", "m2", "g"), out.stream().map(Verdict::id).toList());
    assertEquals(Action.GENERATED, out.get(0).action());
    assertEquals(" fine words", out.get(0).text());
    assertEquals(2, out.get(0).newTokens());
    assertEquals(Action.REWRITTEN, out.get(1).action());
    assertEquals(Action.ALLOWED, out.get(2).action());
    // one call for the two GENERATE tasks, one for the rewrite round
    assertEquals(List.of(2, 1), engine.generateBatchSizes);
  }

  @Test
  void zeroAttemptsBlocksImmediately() {
    BatchModerator strict = new BatchModerator(engine, new ModerationPolicy(0, "[x]"));
    Verdict v = strict.decide(List.of(moderate("d", "q", "hate"))).get(0);
    assertEquals(Action.BLOCKED, v.action());
    assertFalse(v.decoded());
    assertEquals(0, engine.generateCalls.get());
  }

  @Test
  void cutIsAtTokenBoundaryBeforeTheFirstTokenReachingTheThreshold() {
    PrefixScores s =
        new PrefixScores(
            new int[3], new int[] {3, 7, 12}, new float[] {0.1f, 0.49f, 0.5f}, Map.of());
    assertEquals(7, ToxicPrefix.keptChars(s, 0.5f, 12));
    assertEquals(0, ToxicPrefix.keptChars(s, 0.05f, 12));
    assertEquals(12, ToxicPrefix.keptChars(s, 0.9f, 12));
  }

  @Test
  void attemptsUseDifferentSeeds() {
    assertNotEquals(BatchModerator.attemptSeed(7, 1), BatchModerator.attemptSeed(7, 2));
  }
}
