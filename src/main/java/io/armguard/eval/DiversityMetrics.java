package io.armguard.eval;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * dist-n as the detoxification papers compute it: for one prompt, the number of distinct word
 * n-grams over all its samples divided by the total number of n-grams; averaged over prompts by the
 * caller. Words are whitespace-separated tokens.
 */
public final class DiversityMetrics {

  private DiversityMetrics() {}

  /** dist-n of one prompt's samples; 0 when the samples hold no n-gram. */
  public static double distinct(List<String> samples, int n) {
    Set<String> unique = new HashSet<>();
    int total = 0;
    for (String sample : samples) {
      String[] words = sample.trim().isEmpty() ? new String[0] : sample.trim().split("\\s+");
      for (int i = 0; i + n <= words.length; i++) {
        unique.add(String.join(" ", java.util.Arrays.copyOfRange(words, i, i + n)));
        total++;
      }
    }
    return total == 0 ? 0.0 : (double) unique.size() / total;
  }
}
