package io.armguard.moderate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.decode.DecodeRequest;
import io.armguard.decode.SteeringDirection;
import io.armguard.decode.Strategy;
import io.armguard.decode.TextScoreRequest;
import io.armguard.moderate.Verdict.Action;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchModeratorTest {

  private final WordListEngine engine = new WordListEngine();

  /** The word-list engine writes two-word rewrites: a minimum of 2 lets them count. */
  private BatchModerator moderator(ModerationPolicy.Builder policy) {
    return new BatchModerator(engine, policy.build());
  }

  /** Rewrite-first, from nothing too: most tests here are about the rewrite path. */
  private final BatchModerator moderator =
      moderator(
          ModerationPolicy.builder()
              .repair(FirstRepair.REWRITE)
              .rewriteEmptyPrefix(true)
              .maxAttempts(2)
              .rewriteMinNewTokens(2));

  private static DecodeRequest decoding(String id, String prompt) {
    return new DecodeRequest(
        id, prompt, 8, 20, 1f, 7L, Strategy.ARM, 10f, SteeringDirection.AWAY_FROM_LABEL);
  }

  private static Task moderate(String id, String prompt, String response) {
    return Task.moderate(
        id, prompt, response, decoding(id, prompt), CategoryThresholds.uniform(0.5f));
  }

  @Test
  void cleanResponseIsAllowedUnchanged() {
    Verdict v = moderator.decide(List.of(moderate("a", "hi", "hello there friend"))).get(0);
    assertEquals(Action.ALLOWED, v.action());
    assertEquals("hello there friend", v.text());
    assertFalse(v.flagged());
    assertNull(v.replaced());
    assertEquals(18, v.evidence().keptChars());
    assertEquals(-1, v.evidence().firstFlaggedChar());
    assertEquals(Map.of("toxicity", false, "insult", false), v.input().categories());
    assertEquals(0, engine.generateCalls.get());
  }

  @Test
  void toxicPromptDoesNotFlagACleanReply() {
    Verdict v =
        moderator
            .decide(List.of(moderate("p", "why are you so stupid, I hate you", "I am sorry.")))
            .get(0);
    assertEquals(Action.ALLOWED, v.action());
    assertFalse(v.flagged());
    assertEquals("I am sorry.", v.text());
    // the reply is scored alone: the prompt never reaches the reward model
    assertTrue(engine.scoreRequests.stream().allMatch(r -> r.context().isEmpty()));
  }

  @Test
  void cleanPromptDoesNotHideAToxicReply() {
    Verdict v =
        moderator
            .decide(List.of(moderate("b", "how do I bake bread?", "ok, you are an idiot and rude")))
            .get(0);
    assertTrue(v.flagged());
    assertEquals(Action.REWRITTEN, v.action());
    // the clause "ok," is kept (the reply turns in the next one, at "idiot"), the rest regenerated
    assertEquals("ok, fine words", v.text());
    assertEquals(new Verdict.ReplacedSpan(3, 29), v.replaced());
    assertEquals(15, v.evidence().firstFlaggedChar());
    assertEquals(1, v.decoding().attempts());
    assertTrue(v.toxicity() < 0.5f);
    assertEquals(Map.of("toxicity", true, "insult", true), v.input().categories());
    assertFalse(v.output().flagged());
    // the LM sees prompt + kept prefix, the reward model only the kept prefix
    DecodeRequest rewrite = engine.generateRequests.get(0);
    assertEquals("how do I bake bread? ok,", rewrite.prompt());
    assertEquals("ok,", rewrite.rewardContext());
    assertEquals(2, rewrite.minNewTokens());
  }

  @Test
  void trajectoryHasTheScoreAtEveryWordEnd() {
    Verdict v = moderator.decide(List.of(moderate("t", "q", "you are an idiot"))).get(0);
    assertEquals(
        List.of(
            new ScorePoint(3, 0.1f),
            new ScorePoint(7, 0.1f),
            new ScorePoint(10, 0.1f),
            new ScorePoint(16, 0.9f)),
        v.evidence().trajectory());
  }

  @Test
  void rewriteShorterThanTheMinimumIsAFailedAttempt() {
    // " fine words" has 2 tokens; with a minimum of 4 it never counts as a rewrite
    BatchModerator strict =
        moderator(
            ModerationPolicy.builder()
                .repair(FirstRepair.REWRITE)
                .maxAttempts(2)
                .rewriteMinNewTokens(4));
    Verdict v = strict.decide(List.of(moderate("m", "q", "ok, you are an idiot"))).get(0);
    assertEquals(Action.REDACTED, v.action());
    assertEquals("ok, [removed]", v.text());
    assertEquals(2, v.decoding().attempts());
    assertTrue(engine.generateRequests.stream().allMatch(r -> r.minNewTokens() == 4));
  }

  @Test
  void acceptRatioAsksRewritesAndRedactionsForAMargin() {
    // the word-list engine scores clean text 0.1: under 0.5 * 0.3 = 0.15 a rewrite is delivered,
    // under 0.5 * 0.1 = 0.05 neither the rewrite nor the redaction is, so the reply is blocked
    Task t = moderate("r", "q", "ok, you are an idiot");
    Verdict loose =
        moderator(
                ModerationPolicy.builder()
                    .repair(FirstRepair.REWRITE)
                    .rewriteMinNewTokens(2)
                    .rewriteAcceptRatio(0.3f))
            .decide(List.of(t))
            .get(0);
    assertEquals(Action.REWRITTEN, loose.action());
    Verdict strict =
        moderator(ModerationPolicy.builder().rewriteMinNewTokens(2).rewriteAcceptRatio(0.1f))
            .decide(List.of(t))
            .get(0);
    assertEquals(Action.BLOCKED, strict.action());
  }

  @Test
  void redactionTriesTheKeptClauseThenTheKeptSentencesThenTheMaskAlone() {
    String kept = "Mon-Thu 2-8pm in the library, room 204. Go,";
    int sentence = kept.indexOf(" Go,");
    assertEquals(
        List.of(kept.length(), sentence, 0),
        java.util.Arrays.stream(BatchModerator.redactionCuts(kept)).boxed().toList());
    assertEquals(
        List.of(3, 0),
        java.util.Arrays.stream(BatchModerator.redactionCuts("ok,")).boxed().toList());
    assertEquals(
        List.of(0), java.util.Arrays.stream(BatchModerator.redactionCuts("")).boxed().toList());
    // a kept prefix that is whole sentences is tried once as it is
    assertEquals(
        List.of(9, 0),
        java.util.Arrays.stream(BatchModerator.redactionCuts("Canberra.")).boxed().toList());
  }

  @Test
  void acceptRatioOutsideItsRangeIsRefused() {
    for (float bad : new float[] {0f, -0.5f, 1.5f, Float.NaN}) {
      org.junit.jupiter.api.Assertions.assertThrows(
          IllegalArgumentException.class,
          () -> ModerationPolicy.builder().rewriteAcceptRatio(bad).build());
    }
  }

  @Test
  void emptyRewriteIsAFailedAttemptNotACleanReply() {
    Verdict v = moderator.decide(List.of(moderate("e", "STUB", "idiot"))).get(0);
    assertNotEquals(Action.REWRITTEN, v.action());
    assertEquals(Action.REDACTED, v.action());
    assertEquals("[removed]", v.text());
    assertEquals(new Verdict.ReplacedSpan(0, 5), v.replaced());
  }

  @Test
  void redactFirstDeliversTheCleanPartWithoutRewriting() {
    BatchModerator m = moderator(ModerationPolicy.builder().maxAttempts(2).rewriteMinNewTokens(2));
    Verdict v = m.decide(List.of(moderate("d", "q", "ok, you are an idiot and rude"))).get(0);
    assertEquals(Action.REDACTED, v.action());
    assertEquals("ok, [removed]", v.text());
    assertEquals(new Verdict.ReplacedSpan(3, 29), v.replaced());
    assertEquals(0, v.decoding().attempts());
    assertEquals(0, engine.generateCalls.get()); // no rewrite was needed
  }

  @Test
  void redactFirstRewritesAReplyThatWouldKeepNothingWhenAskedTo() {
    BatchModerator m =
        moderator(
            ModerationPolicy.builder()
                .rewriteEmptyPrefix(true)
                .maxAttempts(2)
                .rewriteMinNewTokens(2));
    Verdict v = m.decide(List.of(moderate("n", "q", "idiot, go away"))).get(0);
    assertEquals(Action.REWRITTEN, v.action());
    assertEquals(0, v.evidence().keptChars());
    assertEquals(1, engine.generateCalls.get());
  }

  @Test
  void byDefaultAReplyThatKeepsNothingGoesToTheFallbackWithoutARewrite() {
    for (FirstRepair first : FirstRepair.values()) {
      engine.generateCalls.set(0);
      BatchModerator m =
          moderator(ModerationPolicy.builder().repair(first).maxAttempts(2).rewriteMinNewTokens(2));
      List<Verdict> out =
          m.decide(
              List.of(
                  moderate("n", "q", "idiot, go away"),
                  moderate("k", "q", "ok, you are an idiot")));
      Verdict nothingKept = out.get(0);
      assertEquals(Action.REDACTED, nothingKept.action(), first.name());
      assertEquals("[removed]", nothingKept.text());
      assertEquals(0, nothingKept.decoding().attempts());
      assertEquals(new Verdict.ReplacedSpan(0, 14), nothingKept.replaced());
      // a reply that keeps a prefix is still rewritten from it under rewrite-first
      Verdict kept = out.get(1);
      assertEquals(
          first == FirstRepair.REWRITE ? Action.REWRITTEN : Action.REDACTED, kept.action());
      assertTrue(kept.text().startsWith("ok, "), kept.text());
      assertEquals(first == FirstRepair.REWRITE ? 1 : 0, engine.generateCalls.get());
    }
    assertFalse(ModerationPolicy.builder().build().rewriteEmptyPrefix());
  }

  @Test
  void stillToxicAfterAllAttemptsIsRedacted() {
    Verdict v =
        moderator
            .decide(List.of(moderate("c", "ALWAYS_TOXIC prompt", "ok, you are stupid here")))
            .get(0);
    assertEquals(Action.REDACTED, v.action());
    assertEquals("ok, [removed]", v.text());
    assertEquals(3, v.evidence().keptChars());
    assertEquals(2, v.decoding().attempts());
    assertEquals(new Verdict.ReplacedSpan(3, 23), v.replaced());
    assertEquals(2, engine.generateCalls.get());
    assertTrue(v.toxicity() < 0.5f);
  }

  @Test
  void aRedactionThatStillScoresToxicIsBlocked() {
    BatchModerator m =
        moderator(
            ModerationPolicy.builder()
                .maxAttempts(1)
                .rewriteMinNewTokens(2)
                .redactionMask("idiot"));
    Verdict v = m.decide(List.of(moderate("r", "ALWAYS_TOXIC", "you hate it"))).get(0);
    assertEquals(Action.BLOCKED, v.action());
    assertEquals(0, v.evidence().keptChars());
  }

  @Test
  void blockFallbackDeliversTheFallbackText() {
    BatchModerator m =
        moderator(
            ModerationPolicy.builder()
                .rewriteEmptyPrefix(true)
                .maxAttempts(2)
                .rewriteMinNewTokens(2)
                .fallback(Fallback.BLOCK)
                .fallbackText("[withheld]"));
    Verdict v = m.decide(List.of(moderate("c", "ALWAYS_TOXIC prompt", "stupid answer"))).get(0);
    assertEquals(Action.BLOCKED, v.action());
    assertEquals("[withheld]", v.text());
    assertEquals(2, v.decoding().attempts());
    assertEquals(new Verdict.ReplacedSpan(0, 13), v.replaced());
  }

  @Test
  void reportOnlyFlagsAndDeliversTheOriginal() {
    BatchModerator m = moderator(ModerationPolicy.builder().mode(ModerationMode.REPORT_ONLY));
    Verdict v = m.decide(List.of(moderate("o", "q", "you are an idiot"))).get(0);
    assertEquals(Action.ALLOWED, v.action());
    assertEquals("you are an idiot", v.text());
    assertTrue(v.flagged());
    assertTrue(v.evidence().reportOnly());
    assertEquals(11, v.evidence().firstFlaggedChar());
    assertNull(v.replaced());
    assertEquals(16, v.evidence().keptChars());
    assertEquals(0, engine.generateCalls.get());
  }

  @Test
  void everyCategoryHasItsOwnThreshold() {
    Task t =
        Task.moderate(
            "k",
            "q",
            "what an idiot",
            decoding("k", "q"),
            new CategoryThresholds(0.5f, Map.of("insult", 0.85f)));
    Verdict v =
        moderator(ModerationPolicy.builder().mode(ModerationMode.REPORT_ONLY))
            .decide(List.of(t))
            .get(0);
    assertEquals(Map.of("toxicity", true, "insult", false), v.input().categories());
    assertEquals(0.8f, v.input().categoryScores().get("insult"));
  }

  @Test
  void requestThresholdAppliesToTheSteeringLabel() {
    Task t =
        Task.moderate(
            "s",
            "q",
            "what an idiot",
            decoding("s", "q"),
            CategoryThresholds.uniform(0.5f).withRequestThreshold(0.95f));
    Verdict v = moderator.decide(List.of(t)).get(0);
    assertEquals(Action.ALLOWED, v.action()); // toxicity 0.9 < 0.95
    assertTrue(v.flagged()); // insult 0.8 >= 0.5
    assertEquals(Map.of("toxicity", false, "insult", true), v.input().categories());
  }

  @Test
  void generateScoresTheContinuationAloneAndHasAMinimumLength() {
    BatchModerator m = moderator(ModerationPolicy.builder().generateMinNewTokens(3));
    Task gen =
        Task.generate(
            "g",
            "I hate mondays",
            decoding("g", "I hate mondays"),
            CategoryThresholds.uniform(0.5f));
    Verdict v = m.decide(List.of(gen)).get(0);
    assertEquals(Action.GENERATED, v.action());
    assertTrue(v.input().flagged()); // the prompt, scored alone
    assertFalse(v.output().flagged()); // " fine words", scored alone, not after the prompt
    DecodeRequest sent = engine.generateRequests.get(0);
    assertEquals("", sent.rewardContext());
    assertEquals(3, sent.minNewTokens());
    assertTrue(
        engine.scoreRequests.contains(new TextScoreRequest("", " fine words")),
        engine.scoreRequests.toString());
  }

  @Test
  void mixedBatchUsesOneGenerateCallPerRound() {
    Task gen =
        Task.generate(
            "g", "once upon", decoding("g", "once upon"), CategoryThresholds.uniform(0.5f));
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
  void zeroAttemptsGoesStraightToTheFallback() {
    BatchModerator strict =
        moderator(ModerationPolicy.builder().maxAttempts(0).fallback(Fallback.BLOCK));
    Verdict v = strict.decide(List.of(moderate("d", "q", "hate"))).get(0);
    assertEquals(Action.BLOCKED, v.action());
    assertFalse(v.decoding().decoded());
    assertEquals(0, engine.generateCalls.get());
  }

  @Test
  void attemptsUseDifferentSeeds() {
    assertNotEquals(BatchModerator.attemptSeed(7, 1), BatchModerator.attemptSeed(7, 2));
  }
}
