package io.armguard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.decode.StreamScores;
import io.armguard.decode.StreamText;
import io.armguard.moderate.WordListEngine;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The direct replay follows every reply to its end, in calls of at most the batch size. */
class StreamReplayTest {

  /** Records what it is asked, answers as the word-list engine (no cache). */
  private static final class Recording extends WordListEngine {
    final Map<String, String> last = new HashMap<>();
    final Set<String> forgotten = new HashSet<>();
    final List<Integer> callSizes = new ArrayList<>();

    @Override
    public synchronized List<StreamScores> scoreStreams(
        List<StreamText> batch, Collection<String> forget) {
      forgotten.addAll(forget);
      batch.forEach(t -> last.put(t.streamId(), t.text()));
      callSizes.add(batch.size());
      return super.scoreStreams(batch, forget);
    }
  }

  @Test
  void everyReplyIsFollowedToItsEndAndForgotten() {
    List<String> replies =
        List.of("one two three four five six", "a b", "the cat sat on the mat today", "x y z");
    Recording engine = new Recording();
    RecheckBaseline.Cost c = new StreamReplay(3, 1).run("r", new MeteredEngine(engine), replies);
    for (int i = 0; i < replies.size(); i++) {
      assertEquals(replies.get(i), engine.last.get("r-" + i));
      assertTrue(engine.forgotten.contains("r-" + i), "stream " + i + " forgotten");
    }
    assertTrue(engine.callSizes.stream().allMatch(n -> n <= 3), engine.callSizes.toString());
    assertEquals(engine.callSizes.stream().mapToInt(Integer::intValue).sum(), c.engine().texts());
  }
}
