package io.armguard.decode;

import java.util.List;

/**
 * Scores every prefix of texts with a reward model (what {@link GuidedEngine#scorePrefixes} needs);
 * implemented next to the reward models. One instance per thread.
 */
public interface PrefixScorer {

  /** Results in request order. */
  List<PrefixScores> scorePrefixes(List<TextScoreRequest> batch);

  /** The reward model's labels, in head order. */
  List<String> labels();

  /** The label whose per-prefix scores {@link PrefixScores#steering()} holds. */
  String steeringLabel();

  /** Id of the reward model, {@code name@sha256-prefix}. */
  String rewardId();
}
