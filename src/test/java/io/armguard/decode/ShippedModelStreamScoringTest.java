package io.armguard.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.streams.ReplyChunker;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
