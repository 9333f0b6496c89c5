package io.armguard.reward;

import java.util.Locale;

/** The two reward-model families armguard runs (docs/algorithm.md sections 2 and 3). */
public enum RewardKind {
  /** Reward-augmented decoding: linear head with bias read at the candidate's position. */
  RAD,
  /** Low-rank autoregressive reward model: baseline w·h plus delta (W h)·E over all tokens. */
  ARM;

  /** The name in {@code armguard.json}: {@code rad} or {@code arm}. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code rad} / {@code arm} (any case). */
  public static RewardKind parse(String name) {
    for (RewardKind k : values()) {
      if (k.name().equalsIgnoreCase(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown reward model kind '" + name + "': rad or arm");
  }
}
