package io.armguard.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.ArmRewardModel;
import io.armguard.reward.RewardFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Incremental stream scoring gives what scoring the text afresh gives, runs fewer positions, and
 * keeps its native memory bounded and freed.
 */
class ArmStreamCacheTest {

  private static final String REPLY = "the cat sat on a mat, then it ran off to see a dog.";

  private interface Body {
    void run(NDManager root, ArmRewardModel arm, TextTokenizer tok) throws Exception;
  }

  private static void withModel(Body body) throws Exception {
    try (NDManager root = NDManager.newBaseManager();
        TextTokenizer tok = RewardFixtures.tokenizer()) {
      body.run(root, RewardFixtures.arm(root, tok, 11), tok);
    }
  }

  private static ArmStreamCache cache(ArmRewardModel arm, TextTokenizer tok, NDManager m, int max) {
    int steer = RewardGuidanceProvider.labelIndex(arm, arm.info().steeringLabel());
    return new ArmStreamCache(arm, tok, m, steer, max);
  }

  /** Cuts {@code text} at random points: the texts a stream has after each chunk. */
  private static List<String> growing(String text, Random r) {
    List<String> out = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      at = Math.min(text.length(), at + 1 + r.nextInt(6));
      out.add(text.substring(0, at));
    }
    return out;
  }

  private static void assertSame(PrefixScores want, PrefixScores got, String what) {
    assertArrayEquals(want.tokenIds(), got.tokenIds(), what);
    assertArrayEquals(want.tokenEndChars(), got.tokenEndChars(), what);
    assertArrayEquals(want.steering(), got.steering(), 1e-4f, what);
    want.finalLabelScores()
        .forEach((l, v) -> assertEquals(v, got.finalLabelScores().get(l), 1e-4f, what + " " + l));
  }

  @Test
  void everyPrefixScoresAsAFreshPassDoesAndRunsFewerPositions() throws Exception {
    withModel(
        (root, arm, tok) -> {
          RewardPrefixScorer full = new RewardPrefixScorer(arm, tok, root);
          try (ArmStreamCache streams = cache(arm, tok, root, 10_000)) {
            Random r = new Random(3);
            for (int round = 0; round < 20; round++) {
              long run = 0;
              long fresh = 0;
              for (String text : growing(REPLY, r)) {
                StreamScores got =
                    streams.score(List.of(new StreamText("s" + round, text)), List.of()).get(0);
                PrefixScores want =
                    full.scorePrefixes(List.of(new TextScoreRequest("", text))).get(0);
                assertSame(want, got.scores(), "round " + round + " '" + text + "'");
                run += got.positionsRun();
                fresh += want.tokenIds().length + 1;
              }
              assertTrue(run < fresh / 2, "ran " + run + " positions, afresh " + fresh);
            }
          }
        });
  }

  @Test
  void aTextRewrittenUnderTheCacheIsScoredAfresh() throws Exception {
    withModel(
        (root, arm, tok) -> {
          RewardPrefixScorer full = new RewardPrefixScorer(arm, tok, root);
          try (ArmStreamCache streams = cache(arm, tok, root, 10_000)) {
            streams.score(List.of(new StreamText("s", "the cat sat on a mat, then")), List.of());
            String redacted = "the cat [x] on a mat, then it ran";
            StreamScores got =
                streams.score(List.of(new StreamText("s", redacted)), List.of()).get(0);
            assertSame(
                full.scorePrefixes(List.of(new TextScoreRequest("", redacted))).get(0),
                got.scores(),
                "redacted");
            assertEquals(tok.encode(redacted).length + 1, got.positionsRun(), "a cold prefill");
          }
        });
  }

  @Test
  void endedStreamsAreForgottenAndTheCacheStaysWithinItsBound() throws Exception {
    withModel(
        (root, arm, tok) -> {
          try (ArmStreamCache streams = cache(arm, tok, root, 30)) {
            streams.score(
                List.of(new StreamText("a", "the cat sat "), new StreamText("b", "on a mat ")),
                List.of());
            assertEquals(2, streams.cachedStreams());
            streams.score(List.of(new StreamText("c", "then it ran ")), List.of("a"));
            assertTrue(streams.cachedTokens() <= 30, "cached " + streams.cachedTokens());
            assertTrue(streams.cachedStreams() <= 2);
            streams.score(List.of(), List.of("b", "c"));
            assertEquals(0, streams.cachedStreams());
          }
        });
  }

  @Test
  void aTextLongerThanTheContextFailsAndDropsItsEntry() throws Exception {
    withModel(
        (root, arm, tok) -> {
          try (ArmStreamCache streams = cache(arm, tok, root, 10_000)) {
            streams.score(List.of(new StreamText("s", "the cat ")), List.of());
            String tooLong = "the cat " + "x ".repeat(arm.maxTokens());
            assertThrows(
                IllegalArgumentException.class,
                () -> streams.score(List.of(new StreamText("s", tooLong)), List.of()));
            assertEquals(0, streams.cachedStreams());
          }
        });
  }

  @Test
  void liveArrayCountStaysFlatOverManyStreams() throws Exception {
    withModel(
        (root, arm, tok) -> {
          try (ArmStreamCache streams = cache(arm, tok, root, 10_000)) {
            Random r = new Random(5);
            Runnable stream =
                () -> {
                  for (String text : growing(REPLY, r)) {
                    streams.score(List.of(new StreamText("s", text)), List.of());
                  }
                  streams.score(List.of(), List.of("s"));
                };
            stream.run();
            int baseline = root.getManagedArrays().size();
            for (int i = 0; i < 10; i++) {
              stream.run();
              assertEquals(baseline, root.getManagedArrays().size(), "after stream " + i);
            }
          }
        });
  }
}
