package io.armguard.decode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * How {@link GuidedEngine#scoreStreams} groups the streams of one call into forward passes of the
 * reward model over their new tokens ({@code stream.score.batching}). Each stream has its own cache
 * length and its own number of new tokens; within a group caches are left-padded and new tokens
 * right-padded to the group's longest, and the padding is masked, so every grouping gives the
 * scores of a fresh pass.
 */
public enum StreamBatching {
  /** One forward per stream (B = 1, no padding): many small passes. */
  SINGLE,
  /** One forward for every stream of the call: caches and new tokens padded to the longest. */
  PADDED,
  /**
   * One forward per distinct new-token count: no padded new tokens (those run the whole network),
   * caches still padded (they cost attention columns only).
   */
  BY_NEW_TOKENS;

  /** The default of {@code stream.score.batching} (BENCHMARKS.md, "Streaming moderation"). */
  public static final StreamBatching DEFAULT = PADDED;

  /** The {@code stream.score.batching} value, e.g. {@code by-new-tokens}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The constant of a {@code stream.score.batching} value. */
  public static StreamBatching fromConfig(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  /** Every value's {@link #configName}. */
  public static List<String> configNames() {
    return java.util.Arrays.stream(values()).map(StreamBatching::configName).toList();
  }

  /**
   * The groups of {@code rows} that share a forward pass, each in the order given.
   *
   * @param newTokens a row's number of tokens to run
   */
  <T> List<List<T>> groups(List<T> rows, ToIntFunction<T> newTokens) {
    if (rows.isEmpty()) {
      return List.of();
    }
    return switch (this) {
      case SINGLE -> rows.stream().map(List::of).toList();
      case PADDED -> List.of(rows);
      case BY_NEW_TOKENS -> {
        Map<Integer, List<T>> by = new LinkedHashMap<>();
        rows.forEach(
            r -> by.computeIfAbsent(newTokens.applyAsInt(r), k -> new ArrayList<>()).add(r));
        yield List.copyOf(by.values());
      }
    };
  }
}
