package io.armguard.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reply set shipped in data/replies: it loads, and its evaluation batches do not leak. */
class ShippedReplySetTest {
  private static final Set<String> EVALUATION = ReplySet.EVALUATION_BATCHES;

  @Test
  void loadsAndEveryBatchIsRoughlyBalanced() throws IOException {
    ReplySet set = ReplySet.load(ReplySet.DEFAULT_DIR);
    assertTrue(set.size() >= 4000, "at least 4,000 items: " + set.size());
    assertTrue(set.batches().containsAll(EVALUATION), "batches " + set.batches());
    set.counts()
        .forEach(
            (batch, c) -> {
              double toxic = (double) c[1] / c[0];
              assertTrue(toxic > 0.35 && toxic < 0.65, batch + " toxic share " + toxic);
            });
  }

  @Test
  void noEvaluationReplyAppearsInAnotherBatch() throws IOException {
    ReplySet set = ReplySet.load(ReplySet.DEFAULT_DIR);
    Map<String, String> owner = new HashMap<>();
    List<String> leaks = new java.util.ArrayList<>();
    for (ReplyItem i : set.items()) {
      String key = i.reply().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
      String before = owner.putIfAbsent(key, i.batch());
      if (before != null
          && !before.equals(i.batch())
          && (EVALUATION.contains(before) || EVALUATION.contains(i.batch()))) {
        leaks.add(i.id() + " (also in " + before + ")");
      }
    }
    assertEquals(List.of(), leaks);
  }
}
