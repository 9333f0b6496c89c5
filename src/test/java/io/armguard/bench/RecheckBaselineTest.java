package io.armguard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.moderate.WordListEngine;
import io.armguard.streams.ReplyChunker;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the baselines score, as counted by {@link MeteredEngine}. */
class RecheckBaselineTest {

  private static final List<String> REPLIES =
      List.of("one two three four five six seven", "eight nine ten", "");

  @Test
  void wholeReplyScoresEachReplyOnceInBatches() {
    WordListEngine words = new WordListEngine();
    MeteredEngine engine = new MeteredEngine(words);
    RecheckBaseline.Cost whole = new RecheckBaseline(engine, 2).wholeReply(REPLIES);
    assertEquals("whole_reply", whole.name());
    assertEquals(2, whole.engine().calls(), "3 texts in batches of 2");
    assertEquals(3, whole.engine().texts());
    assertEquals(positions(REPLIES, words), whole.engine().positions());
  }

  @Test
  void theRecheckScoresEveryGrowingPrefixAndCostsMore() {
    WordListEngine words = new WordListEngine();
    MeteredEngine engine = new MeteredEngine(words);
    RecheckBaseline baseline = new RecheckBaseline(engine, 8);
    RecheckBaseline.Cost whole = baseline.wholeReply(REPLIES);
    RecheckBaseline.Cost recheck = baseline.chunkedRecheck(REPLIES, 3);
    assertEquals("recheck_every_3", recheck.name());
    // reply 1: "one" " two" " thre" "e" " four" " five" " six" " seve" "n" -> at 3, 6 and 9;
    // reply 2: "eigh" "t" " nine" " ten" -> at 3 and at its end; the empty reply: nothing
    assertEquals(9, ReplyChunker.tokens(REPLIES.get(0)).size());
    List<String> texts =
        List.of(
            "one two thre",
            "one two three four five",
            "one two three four five six seven",
            "eight nine",
            "eight nine ten");
    assertEquals(texts.size(), recheck.engine().texts());
    assertEquals(positions(texts, words), recheck.engine().positions());
    assertTrue(
        recheck.engine().positions() > whole.engine().positions(),
        "re-scoring prefixes runs more positions than scoring each reply once");
  }

  /** BOS + the engine's tokens of each text (the empty one is not scored by the engine: BOS). */
  private static long positions(List<String> texts, WordListEngine words) {
    return texts.stream().mapToLong(t -> words.countTokens(t) + 1L).sum();
  }
}
