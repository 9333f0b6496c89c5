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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
    return cache(arm, tok, m, max, StreamBatching.DEFAULT);
  }

  private static ArmStreamCache cache(
      ArmRewardModel arm, TextTokenizer tok, NDManager m, int max, StreamBatching batching) {
    int steer = RewardGuidanceProvider.labelIndex(arm, arm.info().steeringLabel());
    return new ArmStreamCache(arm, tok, m, steer, max, batching);
  }

  private static final List<String> REPLIES =
      List.of(
          REPLY,
          "a dog ran to the park and sat down by the old tree.",
          "then the cat saw it, and they both ran off home again.",
          "it is a mat.",
          "on the mat the dog sat, the cat ran, and then it was done.");

  /**
   * Streams of different lengths growing by different amounts per call, one starting late (a cold
   * prefill next to warm ones), all scored in the same calls: every stream's scores after every
   * call equal a fresh pass over its text, whatever the grouping.
   */
  @ParameterizedTest
  @EnumSource(StreamBatching.class)
  void aBatchOfRaggedStreamsScoresAsFreshPassesDo(StreamBatching batching) throws Exception {
    withModel(
        (root, arm, tok) -> {
          RewardPrefixScorer full = new RewardPrefixScorer(arm, tok, root);
          try (ArmStreamCache streams = cache(arm, tok, root, 10_000, batching)) {
            Random r = new Random(7);
            int[] at = new int[REPLIES.size()];
            int calls = 0;
            boolean ragged = false;
            while (calls < 200) {
              List<StreamText> batch = new ArrayList<>();
              for (int s = 0; s < REPLIES.size(); s++) {
                String reply = REPLIES.get(s);
                if (at[s] == reply.length() || (s == 2 && calls < 3)) {
                  continue; // done, or stream 2 starts late
                }
                at[s] = Math.min(reply.length(), at[s] + 1 + r.nextInt(3 * (s + 1)));
                batch.add(new StreamText("s" + s, reply.substring(0, at[s])));
              }
              if (batch.isEmpty()) {
                break;
              }
              List<StreamScores> got = streams.score(batch, List.of());
              java.util.Set<Integer> runs = new java.util.HashSet<>();
              for (int i = 0; i < batch.size(); i++) {
                String text = batch.get(i).text();
                PrefixScores want =
                    full.scorePrefixes(List.of(new TextScoreRequest("", text))).get(0);
                assertSame(want, got.get(i).scores(), "call " + calls + " '" + text + "'");
                runs.add(got.get(i).positionsRun());
              }
              ragged |= runs.size() > 1;
              calls++;
            }
            assertTrue(ragged, "some call mixed different new-token counts");
          }
        });
  }

  @Test
  void theGroupingDecidesHowManyForwardPassesACallRuns() throws Exception {
    withModel(
        (root, arm, tok) -> {
          for (StreamBatching batching : StreamBatching.values()) {
            try (ArmStreamCache streams = cache(arm, tok, root, 10_000, batching)) {
              streams.score(
                  List.of(new StreamText("a", "the cat "), new StreamText("b", "a dog ran ")),
                  List.of());
              long before = streams.forwardPasses();
              // new tokens: a 2 ("sat on"), b 2 ("to the"), c 5 (BOS + "it is a mat")
              List<StreamScores> got =
                  streams.score(
                      List.of(
                          new StreamText("a", "the cat sat on "),
                          new StreamText("b", "a dog ran to the "),
                          new StreamText("c", "it is a mat ")),
                      List.of());
              int distinct =
                  (int) got.stream().mapToInt(StreamScores::positionsRun).distinct().count();
              long want =
                  switch (batching) {
                    case SINGLE -> 3;
                    case PADDED -> 1;
                    case BY_NEW_TOKENS -> distinct;
                  };
              assertEquals(want, streams.forwardPasses() - before, batching.toString());
            }
          }
        });
  }

  @ParameterizedTest
  @EnumSource(StreamBatching.class)
  void aRestartedEngineRebuildsItsCachesFromTheTextsAlone(StreamBatching batching)
      throws Exception {
    withModel(
        (root, arm, tok) -> {
          RewardPrefixScorer full = new RewardPrefixScorer(arm, tok, root);
          try (ArmStreamCache before = cache(arm, tok, root, 10_000, batching)) {
            before.score(
                List.of(new StreamText("a", "the cat sat "), new StreamText("b", "a dog ")),
                List.of());
          } // the crash: every cache entry is gone; the store's texts are all that is left
          try (ArmStreamCache after = cache(arm, tok, root, 10_000, batching)) {
            List<StreamText> texts =
                List.of(
                    new StreamText("a", "the cat sat on a mat, "),
                    new StreamText("b", "a dog ran "));
            List<StreamScores> got = after.score(texts, List.of());
            for (int i = 0; i < texts.size(); i++) {
              String text = texts.get(i).text();
              PrefixScores want =
                  full.scorePrefixes(List.of(new TextScoreRequest("", text))).get(0);
              assertSame(want, got.get(i).scores(), text);
              assertEquals(want.tokenIds().length + 1, got.get(i).positionsRun(), "a prefill");
            }
          }
        });
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
