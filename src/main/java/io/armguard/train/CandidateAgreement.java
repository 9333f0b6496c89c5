package io.armguard.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.armguard.data.ReplyItem;
import io.armguard.model.EngineThreads;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.ArmRewardModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * How an ARM student ranks the LM's candidates compared with a candidate distillation's RAD teacher
 * ({@link CandidateDistillation#agreement}): the mean Spearman correlation over candidate sets of
 * the steering label's scores, and the candidate MSE of every label in the training loss's space
 * (the student's sigmoid against the teacher's calibrated score). What {@code train replies}
 * reports on its validation batches, its periodic check and {@code analyze candidates} measure.
 *
 * @param meanSpearman mean over candidate sets of Spearman's rho between student and teacher
 *     (steering label); NaN when no set had a ranking on both sides
 * @param sets candidate sets the mean is over (sets with tied scores throughout are left out)
 * @param mse mean squared difference of the student's sigmoid and the teacher's calibrated score,
 *     every label
 */
public record CandidateAgreement(double meanSpearman, int sets, double mse) {

  /**
   * Measures {@code student} against {@code distillation}'s teacher on fixed prefixes of {@code
   * replies} (drawn from {@code seed}, so every call on the same replies sees the same candidate
   * sets), {@code distillation}'s batch of replies at a time. Inference only; each batch's arrays
   * live in a sub-manager of {@code root}.
   *
   * @param replies token ids of each reply (no BOS), cut as in training ({@link #replyTokens})
   */
  static CandidateAgreement measure(
      CandidateDistillation distillation,
      ArmRewardModel student,
      List<int[]> replies,
      long seed,
      NDManager root) {
    CandidateDistillationSettings settings = distillation.settings();
    int steering = distillation.steeringIndex();
    Random random = new Random(seed * 1_000_003L - 1);
    double rhoSum = 0;
    int sets = 0;
    double sqSum = 0;
    long sqCount = 0;
    for (int start = 0; start < replies.size(); start += settings.batch()) {
      int[][] chunk =
          replies.subList(start, Math.min(replies.size(), start + settings.batch())).stream()
              .filter(r -> r.length > 0)
              .toArray(int[][]::new);
      if (chunk.length == 0) {
        continue;
      }
      ReplyPrefix[] prefixes = distillation.samplePrefixes(chunk, random);
      int k = settings.k();
      int labels = student.info().labelCount();
      float[] s;
      float[] t;
      try (NDManager m = root.newSubManager()) {
        NDArray candidates = distillation.candidates(chunk, prefixes, m);
        t = distillation.teacherScores(chunk, prefixes, candidates, m).toFloatArray();
        s = EngineThreads.inferenceOnly(() -> studentScores(student, chunk, prefixes, candidates));
      }
      for (int i = 0; i < prefixes.length; i++) {
        double[] a = new double[k];
        double[] b = new double[k];
        for (int j = 0; j < k; j++) {
          int base = (i * k + j) * labels;
          a[j] = s[base + steering];
          b[j] = t[base + steering];
          for (int l = 0; l < labels; l++) {
            double d = 1 / (1 + Math.exp(-s[base + l])) - t[base + l]; // the loss's space
            sqSum += d * d;
            sqCount++;
          }
        }
        double rho = RankCorrelation.spearman(a, b);
        if (!Double.isNaN(rho)) {
          rhoSum += rho;
          sets++;
        }
      }
    }
    return new CandidateAgreement(
        sets == 0 ? Double.NaN : rhoSum / sets, sets, sqCount == 0 ? Double.NaN : sqSum / sqCount);
  }

  /**
   * Each reply's tokens alone (no BOS, no prompt), cut to {@code maxTokens} as {@code train
   * replies} cuts them; empty replies are left out.
   */
  public static List<int[]> replyTokens(
      List<ReplyItem> items, TextTokenizer tokenizer, int maxTokens) {
    List<int[]> out = new ArrayList<>();
    for (ReplyItem i : items) {
      int[] ids = tokenizer.encode(i.reply());
      if (ids.length > 0) {
        out.add(Arrays.copyOf(ids, Math.min(ids.length, maxTokens)));
      }
    }
    return out;
  }

  /** {@code candidate_spearman}, {@code candidate_sets}, {@code candidate_mse}. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("candidate_spearman", rounded(meanSpearman));
    o.addProperty("candidate_sets", sets);
    o.addProperty("candidate_mse", rounded(mse));
    return o;
  }

  private static double rounded(double v) {
    return Double.isNaN(v) ? v : CardNumbers.round(v); // NaN says "no sets", not 0
  }

  /** The student's raw scores of every candidate [P, k, L], flattened. */
  private static float[] studentScores(
      ArmRewardModel student, int[][] replies, ReplyPrefix[] prefixes, NDArray candidates) {
    NDManager m = candidates.getManager();
    int width = 1;
    for (ReplyPrefix p : prefixes) {
      width = Math.max(width, p.length() + 1); // column t scores a token after x_<t
    }
    long[][] ids = new long[replies.length][width];
    long[][] mask = new long[replies.length][width];
    for (int r = 0; r < replies.length; r++) {
      for (int j = 0; j < Math.min(width, replies[r].length); j++) {
        ids[r][j] = replies[r][j];
        mask[r][j] = 1;
      }
    }
    long[] rows = new long[prefixes.length];
    for (int i = 0; i < prefixes.length; i++) {
      rows[i] = (long) prefixes[i].reply() * width + prefixes[i].length();
    }
    NDArray h = student.shiftedHidden(m.create(ids), m.create(mask), false);
    return student
        .head()
        .candidateScores(CandidateDistillation.rowsOf(h, rows), candidates, student.embedding())
        .toFloatArray();
  }
}
