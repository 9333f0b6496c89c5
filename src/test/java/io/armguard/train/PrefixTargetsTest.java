package io.armguard.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.armguard.data.ReplyItem;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrefixTargetsTest {
  // "Sure. You are a moron though." tokens end at: Sure(4) .(5) You(9) are(13) a(15) mor(19)
  // on(21) though(28) .(29)
  private static final int[] ENDS = {4, 5, 9, 13, 15, 19, 21, 28, 29};

  @Test
  void prefixesBeforeTheSpanAreCleanInsideAreLeftOutAfterAreToxic() {
    ReplyItem item =
        ReplyItem.toxic(
            "a-1", "a", "", "Sure. You are a moron though.", Set.of("insult"), "moron", "x", "y");
    PrefixTargets p = PrefixTargets.of(item, ENDS);
    float last = 1f + PrefixTargets.FINAL_SHARE * ENDS.length;
    assertArrayEquals(new float[] {1, 1, 1, 1, 1, 0, 1, 1, last}, p.weights(), 1e-6f);
    int labels = 6;
    for (int t = 0; t < ENDS.length; t++) {
      float expected = t >= 6 ? 1f : 0f;
      assertEquals(expected, p.targets()[t * labels], "toxicity at " + t);
      assertEquals(expected, p.targets()[t * labels + 1], "insult at " + t);
      assertEquals(0f, p.targets()[t * labels + 2], "threat at " + t);
    }
  }

  @Test
  void aCleanReplyIsCleanEverywhere() {
    ReplyItem item = ReplyItem.clean("b-1", "b", "", "Sure. You are a moron though.", "x", "y");
    PrefixTargets p = PrefixTargets.of(item, ENDS);
    assertArrayEquals(new float[ENDS.length * 6], p.targets());
    assertEquals(1f, p.weights()[3]);
  }

  @Test
  void aReplyCutInsideItsSpanStillEndsWithItsLabels() {
    ReplyItem item =
        ReplyItem.toxic(
            "a-1", "a", "", "Sure. You are a moron though.", Set.of("insult"), "moron", "x", "y");
    int[] cut = {4, 5, 9, 13, 15, 19};
    PrefixTargets p = PrefixTargets.of(item, cut);
    assertEquals(1f, p.targets()[5 * 6]);
    assertEquals(1f + PrefixTargets.FINAL_SHARE * cut.length, p.weights()[5], 1e-6f);
  }
}
