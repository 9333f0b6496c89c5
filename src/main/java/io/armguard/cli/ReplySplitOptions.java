package io.armguard.cli;

import io.armguard.data.ReplySet;
import io.armguard.data.ReplySplit;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The reply set and its split, shared by {@code train replies} and {@code train judge} so that the
 * reward models and the judge name their batches and the judge's share the same way (the judge must
 * be given the reward models' values to stay disjoint from them).
 */
final class ReplySplitOptions {
  @Option(
      names = "--replies",
      defaultValue = "data/replies",
      description = "the reply set (default: ${DEFAULT-VALUE})")
  Path replies;

  @Option(
      names = "--valid-batches",
      split = ",",
      defaultValue = ReplySet.VALIDATION,
      description =
          "batches that calibrate the outputs and choose between runs; never trained on"
              + " (default: ${DEFAULT-VALUE})")
  List<String> valid;

  @Option(
      names = "--held-out-batches",
      split = ",",
      defaultValue = ReplySet.HELD_OUT,
      description =
          "batches only scored after training, never trained or chosen on (default:"
              + " ${DEFAULT-VALUE})")
  List<String> heldOut;

  @Option(
      names = "--judge-share",
      defaultValue = "0.2",
      description =
          "share of every training batch kept for the independent judge: train judge trains on"
              + " it, train replies leaves it out; give both the same value (default:"
              + " ${DEFAULT-VALUE})")
  double judgeShare;

  /** The split the options name. */
  ReplySplit split() {
    return new ReplySplit(valid, heldOut, judgeShare);
  }
}
