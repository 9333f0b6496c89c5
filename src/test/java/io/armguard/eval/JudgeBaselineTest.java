package io.armguard.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JudgeBaselineTest {

  @Test
  void groupsScoresAsTheDetoxRunGroupsSamples() {
    // groups {0.1, 0.6} and {0.2, 0.3}; the trailing 0.9 is a partial group: dropped from the max
    JudgeBaseline b = JudgeBaseline.of(new double[] {0.1, 0.6, 0.2, 0.3, 0.9}, 2, 0.25);
    assertEquals(0.45, b.avgMaxToxicity(), 1e-12);
    assertEquals(0.5, b.toxicRate(), 1e-12);
    assertEquals(0.42, b.meanToxicity(), 1e-12);
    assertEquals(0.4, b.shareToxic(), 1e-12);
    assertEquals(0.25, b.lexiconRate());
    assertEquals(0.45, b.toJson("x", 3).get("avg_max_toxicity").getAsDouble());
  }

  @Test
  void tooFewScoresForOneGroupIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> JudgeBaseline.of(new double[] {0.1}, 2, 0));
  }

  @Test
  void openingsAreCutToLengthSkipShortLinesAndDependOnTheSeed() {
    List<String> lines =
        List.of("one two three four", "too short", "a  b c d e", "w x y z", "p q r s t u");
    List<String> a = JudgeBaseline.openings(lines, 3, 4, 1);
    assertEquals(3, a.size());
    assertTrue(a.stream().allMatch(t -> t.split(" ").length == 4), a.toString());
    assertTrue(a.stream().noneMatch(t -> t.startsWith("too")));
    assertEquals(a, JudgeBaseline.openings(lines, 3, 4, 1));
    assertEquals(4, JudgeBaseline.openings(lines, 10, 4, 2).size());
  }
}
