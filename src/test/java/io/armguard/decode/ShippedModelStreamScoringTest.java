package io.armguard.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.streams.ReplyChunker;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shipped models (MiniLM-L6 BERT backbone run causally, uncased WordPiece): a reply streamed
 * token by token and scored incrementally ({@link GuidedEngine#scoreStreams}) gets, after every
 * chunk, the scores a fresh {@link GuidedEngine#scorePrefixes} pass gives, while the reward model
 * runs a fraction of the positions.
 */
class ShippedModelStreamScoringTest {

  private static final String REPLY =
      "Thanks for sharing it. The structure is fine and the tests are easy-to-follow, but"
          + " honestly you are an idiot and this is garbage!! Rewrite it.";

  @Test
  void incrementalScoresEqualAFreshPassAfterEveryChunk() throws Exception {
    try (DecodingModels models =
            DecodingModels.load(Path.of("models/lm"), List.of(Path.of("models/arm")), "cpu", 1);
        GuidedEngine engine = models.newEngine(null)) {
      StringBuilder text = new StringBuilder();
      long run = 0;
      long fresh = 0;
      for (String token : ReplyChunker.tokens(REPLY)) {
        text.append(token);
        StreamScores got =
            engine.scoreStreams(List.of(new StreamText("s", text.toString())), List.of()).get(0);
        PrefixScores want =
            engine.scorePrefixes(List.of(new TextScoreRequest("", text.toString()))).get(0);
        String what = "'" + text + "'";
        assertArrayEquals(want.tokenIds(), got.scores().tokenIds(), what);
        assertArrayEquals(want.tokenEndChars(), got.scores().tokenEndChars(), what);
        assertArrayEquals(want.steering(), got.scores().steering(), 1e-3f, what);
        want.finalLabelScores()
            .forEach(
                (l, v) ->
                    assertEquals(v, got.scores().finalLabelScores().get(l), 1e-3f, what + " " + l));
        run += got.positionsRun();
        fresh += want.tokenIds().length + 1;
      }
      assertTrue(run < fresh / 4, "ran " + run + " positions, a fresh pass each time " + fresh);
    }
  }

  private static final List<String> REPLIES =
      List.of(
          REPLY,
          "Basil likes warmth and light, so put the pot on the sunniest windowsill you have.",
          "Sure.",
          "A hash table stores values under keys so that you can find a value again quickly.");

  /**
   * Four streams of different lengths in the same calls, stream i taking i + 1 tokens per call and
   * the third joining late (a cold prefill beside warm caches): under every grouping, each stream's
   * scores after each call equal a fresh pass over its text.
   */
  @ParameterizedTest
  @EnumSource(StreamBatching.class)
  void aBatchOfStreamsWithRaggedCachesAndNewTokensScoresAsFreshPasses(StreamBatching batching)
      throws Exception {
    try (DecodingModels models =
            DecodingModels.load(Path.of("models/lm"), List.of(Path.of("models/arm")), "cpu", 1);
        GuidedEngine engine = models.newEngine(null, batching)) {
      List<List<String>> tokens = REPLIES.stream().map(ReplyChunker::tokens).toList();
      int[] sent = new int[REPLIES.size()];
      StringBuilder[] text = new StringBuilder[REPLIES.size()];
      for (int call = 0; call < 40; call++) {
        List<StreamText> batch = new java.util.ArrayList<>();
        for (int s = 0; s < REPLIES.size(); s++) {
          if (sent[s] == tokens.get(s).size() || (s == 2 && call < 4)) {
            continue;
          }
          if (text[s] == null) {
            text[s] = new StringBuilder();
          }
          for (int k = 0; k <= s && sent[s] < tokens.get(s).size(); k++) {
            text[s].append(tokens.get(s).get(sent[s]++));
          }
          batch.add(new StreamText("s" + s, text[s].toString()));
        }
        if (batch.isEmpty()) {
          break;
        }
        List<StreamScores> got = engine.scoreStreams(batch, List.of());
        for (int i = 0; i < batch.size(); i++) {
          String t = batch.get(i).text();
          PrefixScores want = engine.scorePrefixes(List.of(new TextScoreRequest("", t))).get(0);
          String what = batching + " call " + call + " '" + t + "'";
          PrefixScores g = got.get(i).scores();
          assertArrayEquals(want.tokenIds(), g.tokenIds(), what);
          assertArrayEquals(want.steering(), g.steering(), 1e-3f, what);
          want.finalLabelScores()
              .forEach(
                  (l, v) -> assertEquals(v, g.finalLabelScores().get(l), 1e-3f, what + " " + l));
        }
      }
    }
  }
}
