package io.armguard.bench;

import java.util.Random;

/**
 * The max_new_tokens an open-loop workload asks for: one number, or a range every request draws
 * from uniformly (seeded), so short requests meet long ones in the same batches.
 *
 * @param min smallest max_new_tokens, at least 1
 * @param max largest, at least {@code min}
 */
public record TokenRange(int min, int max) {

  /** Requests asking for at most this many tokens count as short in the latency split. */
  public static final int SHORT_MAX = 16;

  public TokenRange {
    if (min < 1 || max < min) {
      throw new IllegalArgumentException(
          "max_new_tokens must be N or MIN-MAX with 1 <= MIN <= MAX: " + min + "-" + max);
    }
  }

  /** Every request asks for {@code n}. */
  public static TokenRange of(int n) {
    return new TokenRange(n, n);
  }

  /** {@code N} or {@code MIN-MAX} (e.g. {@code 4-64}). */
  public static TokenRange parse(String text) {
    String t = text.strip();
    int dash = t.indexOf('-', 1);
    try {
      return dash < 0
          ? of(Integer.parseInt(t))
          : new TokenRange(
              Integer.parseInt(t.substring(0, dash).strip()),
              Integer.parseInt(t.substring(dash + 1).strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("max_new_tokens must be N or MIN-MAX, got '" + text + "'");
    }
  }

  public boolean single() {
    return min == max;
  }

  /** Request i's max_new_tokens for i in [0, n), uniform over [min, max] from {@code seed}. */
  public int[] draw(int n, long seed) {
    Random random = new Random(seed);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = min + random.nextInt(max - min + 1);
    }
    return out;
  }

  /** As printed in the JSON lines: the number itself, or {@code "MIN-MAX"}. */
  public Object json() {
    return single() ? (Object) min : toString();
  }

  @Override
  public String toString() {
    return single() ? Integer.toString(min) : min + "-" + max;
  }
}
