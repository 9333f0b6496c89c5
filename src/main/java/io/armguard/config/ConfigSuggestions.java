package io.armguard.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * "Did you mean" for a mistyped key: the known name nearest by edit distance, if it is near enough
 * to be a typo (at most a quarter of the key's length, and at least 2 edits). Stateless.
 */
final class ConfigSuggestions {

  private ConfigSuggestions() {}

  /** The nearest of {@code known} to {@code key}, when close enough to be a typo. */
  static Optional<String> closest(String key, Collection<String> known) {
    int limit = Math.max(2, key.length() / 4);
    return known.stream()
        .map(k -> new Candidate(k, distance(key, k)))
        .filter(c -> c.distance <= limit)
        .min(Comparator.comparingInt(Candidate::distance).thenComparing(Candidate::name))
        .map(Candidate::name);
  }

  /**
   * The message for an unknown armguard key: a bare Kafka setting is pointed at its {@code kafka.}
   * form, anything else at the nearest known key.
   */
  static String unknownKey(String key, Collection<String> known) {
    if (KafkaConfigNames.all().contains(key)) {
      return "unknown key; "
          + key
          + " is a Kafka setting: write it as "
          + ArmguardConfig.KAFKA_PREFIX
          + key
          + " (or ARMGUARD_KAFKA_"
          + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_')
          + ")";
    }
    return closest(key, known)
        .map(s -> "unknown key; did you mean " + s + "?")
        .orElse(
            "unknown key; see docs/streams.md for every key, or prefix a Kafka setting with "
                + ArmguardConfig.KAFKA_PREFIX);
  }

  private record Candidate(String name, int distance) {}

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
