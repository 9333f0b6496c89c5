package io.armguard.data;

import java.util.List;

/**
 * The label names of the reply set, Jigsaw/Perspective style: {@code toxicity} (any) first, then
 * the categories. Reward models trained on the set have one head per label in this order.
 */
public final class ReplyLabels {
  public static final String TOXICITY = "toxicity";

  /** The categories a toxic reply may carry. */
  public static final List<String> CATEGORIES =
      List.of("insult", "threat", "identity_attack", "obscene", "sexual");

  /** {@code toxicity} followed by {@link #CATEGORIES}. */
  public static final List<String> LABELS =
      List.of(TOXICITY, "insult", "threat", "identity_attack", "obscene", "sexual");

  private ReplyLabels() {}
}
