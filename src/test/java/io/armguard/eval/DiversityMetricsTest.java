package io.armguard.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DiversityMetricsTest {

  @Test
  void distinctNgramsOverAPromptsSamples() {
    List<String> samples = List.of("the cat sat", "the cat ran");
    // unigrams: the cat sat the cat ran -> 4 distinct / 6
    assertEquals(4.0 / 6, DiversityMetrics.distinct(samples, 1), 1e-12);
    // bigrams: "the cat" x2, "cat sat", "cat ran" -> 3 / 4
    assertEquals(3.0 / 4, DiversityMetrics.distinct(samples, 2), 1e-12);
    // trigrams: both distinct -> 2 / 2
    assertEquals(1.0, DiversityMetrics.distinct(samples, 3), 1e-12);
  }

  @Test
  void emptySamplesHaveNoNgrams() {
    assertEquals(0.0, DiversityMetrics.distinct(List.of("", "  "), 1));
    assertEquals(0.0, DiversityMetrics.distinct(List.of("one two"), 3));
  }
}
