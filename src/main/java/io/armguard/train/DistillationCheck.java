package io.armguard.train;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.armguard.reward.ArmRewardModel;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The step listener of a candidate-distilling run: at every checkpoint step (and the last) it puts
 * the smoothed candidate MSE of the training steps ({@code step_N_distill_mse}) and the student's
 * agreement with the teacher on a fixed slice of the validation replies ({@code
 * step_N_valid_candidate_spearman}, {@code step_N_valid_candidate_mse}) into the history, so a
 * run's card shows whether ARM comes to rank candidates like RAD. The smoothing restarts with each
 * session, like the progress bar's loss. Its log line also says how long the targets took per step
 * (the LM's and the teacher's passes, the cost distillation adds besides the student's small
 * candidate head). Training thread only.
 */
final class DistillationCheck implements ResumableTraining.StepListener {
  private final CandidateDistillation distillation;
  private final ArmRewardModel student;
  private final List<int[]> replies;
  private final RunSettings run;
  private final NDManager root;
  private final Consumer<String> log;
  private double smoothedMse = Double.NaN;
  private double targetSeconds; // since the last check
  private int targetSteps;

  /**
   * @param replies the validation replies checked (token ids, no BOS)
   * @param root where each check's arrays live (a sub-manager per chunk)
   */
  DistillationCheck(
      CandidateDistillation distillation,
      ArmRewardModel student,
      List<int[]> replies,
      RunSettings run,
      NDManager root,
      Consumer<String> log) {
    this.distillation = distillation;
    this.student = student;
    this.replies = replies;
    this.run = run;
    this.root = root;
    this.log = log;
  }

  /** Records how long a step took to compute its targets (the LM's and the teacher's passes). */
  void recordTargetTime(long nanos) {
    targetSeconds += nanos / 1e9;
    targetSteps++;
  }

  /** Records a training step's unweighted candidate MSE. */
  void recordLoss(double mse) {
    smoothedMse = Double.isNaN(smoothedMse) ? mse : 0.95 * smoothedMse + 0.05 * mse;
  }

  @Override
  public void after(long step, boolean last, JsonObject history) {
    if (!last && (run.checkpointEvery() <= 0 || step % run.checkpointEvery() != 0)) {
      return;
    }
    long start = System.nanoTime();
    CandidateAgreement a = distillation.agreement(student, replies, run.seed(), root);
    double seconds = (System.nanoTime() - start) / 1e9;
    history.addProperty("step_" + step + "_distill_mse", CardNumbers.round(smoothedMse));
    JsonObject check = a.toJson();
    history.add("step_" + step + "_valid_candidate_spearman", check.get("candidate_spearman"));
    history.add("step_" + step + "_valid_candidate_mse", check.get("candidate_mse"));
    log.accept(
        String.format(
            Locale.ROOT,
            "step %d: candidate MSE %.4f (train, smoothed), %.4f (valid); valid candidate"
                + " Spearman %.4f over %d sets (check %.1f s; targets %.2f s/step)",
            step,
            smoothedMse,
            a.mse(),
            a.meanSpearman(),
            a.sets(),
            seconds,
            targetSteps == 0 ? Double.NaN : targetSeconds / targetSteps));
    targetSeconds = 0;
    targetSteps = 0;
  }
}
