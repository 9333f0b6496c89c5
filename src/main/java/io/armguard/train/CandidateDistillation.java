package io.armguard.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import io.armguard.model.CausalLm;
import io.armguard.model.ModelDirectory;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.ArmRewardModel;
import io.armguard.reward.RadRewardModel;
import io.armguard.reward.RewardModel;
import io.armguard.reward.RewardModels;
import io.armguard.reward.ScoreOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Candidate distillation of a RAD teacher into an ARM student (the ARM paper trains ARM this way):
 * at sampled prefixes x_&lt;t of a step's replies, the LM's top-k next tokens c are the candidates
 * guidance will rank, and the student's {@code baseline(h) + delta(h, c)} of every label is
 * regressed (MSE) onto the frozen teacher's score of x_&lt;t · c. The observed-token loss alone
 * never trains delta to rank those candidates, which is all steering uses.
 *
 * <p><b>Score space: probabilities, what steering reads.</b> The teacher's side is its calibrated
 * score {@code sigmoid(scale_j * rho_j + bias_j)} (its {@code armguard.json output}, exactly what
 * RAD guidance feeds into {@code beta * (1 - r)}); the student's side is {@code sigmoid} of its
 * head's raw, pre-calibration output, the probability its prefix BCE ({@link
 * TrainingLosses#prefixBce}) trains (its own Platt calibration is fitted after training, as
 * before). Why not logits: measured on the reply set, the teacher's calibrated logits of the LM's
 * candidates sit several units from an untrained student's, so a logit MSE (about 24 at the start,
 * 4 for the shipped 600-step ARM) outweighs the BCE (below 0.7) by one or two orders of magnitude
 * under the global gradient clip: in a 100-step run the BCE stayed at ln 2 and the whole-reply
 * validation AUC at 0.65 (0.92 without distillation). It also spends the fit on differences between
 * very confident logits that change no steering bonus. A teacher whose output is {@code clamp} (an
 * MSE-trained RAD) is refused: its scores are not calibrated probabilities.
 *
 * <p>Prefixes: reply positions t in 0 .. n-1 (the positions whose hidden state the student's {@link
 * ArmRewardModel#shiftedHidden} already computes), t = 0 the empty prefix (LM: BOS; teacher: BOS ·
 * c as RAD guidance reads it). Draws depend on (seed, step) only, so resumed runs stay exact.
 * Lifecycle: {@link #load} once per run; the teacher and LM live in the manager given there; used
 * from the training thread only.
 */
public final class CandidateDistillation {
  /** Validation replies the periodic (checkpoint-time) agreement check uses. */
  static final int CHECK_REPLIES = 64;

  private final CandidateDistillationSettings settings;
  private final RadCandidateScorer teacher;
  private final LmCandidates lm;
  private final ScoreOutput teacherOutput;
  private final int steering;
  private final String teacherId;
  private final String lmId;

  /**
   * @param teacher frozen by the caller or not: its parameters are frozen here
   * @param lm the LM whose candidates are ranked
   * @param lmTokenizer the LM directory's tokenizer (null when it has none: refused)
   * @param student the ARM model being trained (its labels, vocabulary and tokenizer are checked)
   * @throws IllegalArgumentException naming what differs when the teacher or LM do not fit
   */
  CandidateDistillation(
      CandidateDistillationSettings settings,
      RadRewardModel teacher,
      CausalLm lm,
      TextTokenizer lmTokenizer,
      String lmId,
      RewardModel student) {
    DistillationCompatibility.require(settings, teacher, lm, lmTokenizer, student);
    this.teacherOutput = teacher.info().output();
    teacher.trainableParameters().values().forEach(p -> p.freeze(true));
    lm.backbone().namedParameters().values().forEach(p -> p.freeze(true));
    this.settings = settings;
    this.teacher = new RadCandidateScorer(teacher);
    this.lm = new LmCandidates(lm.forInference(), settings.k());
    this.steering = student.info().steeringIndex();
    this.teacherId = teacher.id();
    this.lmId = lmId;
  }

  /**
   * Loads the teacher and the LM into {@code root} and checks them against the student.
   *
   * @throws IllegalArgumentException when the teacher is not RAD, or the teacher or LM does not
   *     share the student's tokenizer and vocabulary, or the labels differ
   */
  public static CandidateDistillation load(
      CandidateDistillationSettings settings, RewardModel student, NDManager root)
      throws IOException {
    RewardModel t = RewardModels.load(settings.teacher(), root);
    if (!(t instanceof RadRewardModel rad)) {
      throw new IllegalArgumentException(
          "--distill-teacher "
              + settings.teacher()
              + " is a "
              + t.info().kind()
              + " model, not RAD");
    }
    ModelDirectory.Loaded lmDir = ModelDirectory.load(settings.lm(), root);
    return new CandidateDistillation(
        settings, rad, lmDir.lm(), lmDir.tokenizer(), lmDir.id(), student);
  }

  /**
   * A step's constant targets, computed outside autograd.
   *
   * @param hiddenRows for each prefix, its row in the student's shifted hidden states flattened to
   *     {@code [B*T, d]}
   * @param candidates int64 [P, k]
   * @param teacher the teacher's calibrated scores [P, k, L] in [0, 1]
   */
  record Targets(long[] hiddenRows, NDArray candidates, NDArray teacher) {}

  /**
   * Samples {@code batch} replies of a step's batch and {@code positions} prefixes of each, and
   * computes the LM's candidates and the teacher's scores of them.
   *
   * @param ids int64 [B, T], the step's replies (padding anywhere; masked)
   * @param mask int64 [B, T], 1 = real token
   */
  Targets targets(NDArray ids, NDArray mask, long seed, long step, NDManager m) {
    int b = (int) ids.getShape().get(0);
    int width = (int) ids.getShape().get(1);
    long[] x = ids.toLongArray();
    long[] real = mask.toLongArray();
    Random random = new Random(seed * 1_000_003L + step * 7_919L + 17);
    List<Integer> rows = new ArrayList<>();
    for (int r = 0; r < b; r++) {
      rows.add(r);
    }
    java.util.Collections.shuffle(rows, random);
    List<int[]> replies = new ArrayList<>();
    List<int[]> columns = new ArrayList<>();
    List<Integer> batchRows = new ArrayList<>();
    for (int r : rows) {
      if (replies.size() == settings.batch()) {
        break;
      }
      int[] cols = new int[width];
      int n = 0;
      for (int c = 0; c < width; c++) {
        if (real[r * width + c] != 0) {
          cols[n++] = c;
        }
      }
      if (n == 0) {
        continue;
      }
      int[] tokens = new int[n];
      for (int i = 0; i < n; i++) {
        tokens[i] = (int) x[r * width + cols[i]];
      }
      replies.add(tokens);
      columns.add(cols);
      batchRows.add(r);
    }
    int[][] chosen = replies.toArray(new int[0][]);
    ReplyPrefix[] prefixes = samplePrefixes(chosen, random);
    long[] hiddenRows = new long[prefixes.length];
    for (int i = 0; i < prefixes.length; i++) {
      ReplyPrefix p = prefixes[i];
      hiddenRows[i] = (long) batchRows.get(p.reply()) * width + columns.get(p.reply())[p.length()];
    }
    NDArray candidates = candidates(chosen, prefixes, m);
    return new Targets(hiddenRows, candidates, teacherScores(chosen, prefixes, candidates, m));
  }

  /**
   * The unweighted candidate MSE of a step: {@code sigmoid} of the student's raw scores of every
   * label against the teacher's calibrated scores, averaged over prefixes, candidates and labels.
   *
   * @param shiftedHidden the student's {@link ArmRewardModel#shiftedHidden} of the step's batch [B,
   *     T, d] (the same batch {@link #targets} saw)
   */
  NDArray loss(ArmRewardModel student, NDArray shiftedHidden, Targets targets) {
    NDArray h = rowsOf(shiftedHidden, targets.hiddenRows());
    NDArray raw = student.head().candidateScores(h, targets.candidates(), student.embedding());
    NDArray s = raw.getNDArrayInternal().sigmoid();
    NDArray mse = TrainingLosses.meanSquaredError(s, targets.teacher());
    float rank = settings.rankWeight();
    return rank == 0
        ? mse
        : mse.add(TrainingLosses.centredMeanSquaredError(s, targets.teacher()).mul(rank));
  }

  /**
   * How the student ranks the LM's candidates compared with the teacher, on fixed prefixes of
   * {@code replies} drawn from {@code seed} ({@link CandidateAgreement#measure}). Inference only.
   *
   * @param replies token ids of each reply (no BOS), cut as in training
   */
  public CandidateAgreement agreement(
      ArmRewardModel student, List<int[]> replies, long seed, NDManager root) {
    return CandidateAgreement.measure(this, student, replies, seed, root);
  }

  /** What the card says about the distillation beyond its settings (teacher and LM ids). */
  public JsonObject facts() {
    JsonObject o = new JsonObject();
    o.addProperty("teacher", teacherId);
    o.addProperty("lm", lmId);
    o.addProperty(
        "target",
        "MSE of sigmoid(the student's raw baseline+delta), all labels, against the teacher's"
            + " calibrated score sigmoid(scale*rho+bias) of prefix+candidate, for the LM's top "
            + settings.k()
            + " candidates after BOS+prefix");
    return o;
  }

  /** The run's distillation settings. */
  CandidateDistillationSettings settings() {
    return settings;
  }

  /**
   * The index of the steering label (the student's at {@link #load}), whose ranking is compared.
   */
  int steeringIndex() {
    return steering;
  }

  /** The LM's top-k next tokens after BOS + each prefix, int64 [P, k] in {@code m}. */
  NDArray candidates(int[][] replies, ReplyPrefix[] prefixes, NDManager m) {
    return lm.topK(replies, prefixes, m);
  }

  /** The teacher's calibrated scores of prefix + candidate, [P, k, L] in [0, 1]. */
  NDArray teacherScores(int[][] replies, ReplyPrefix[] prefixes, NDArray candidates, NDManager m) {
    return teacherOutput.apply(teacher.rawScores(replies, prefixes, candidates, m));
  }

  /** Up to {@code positions} distinct positions 0 .. n-1 of every reply (partial shuffle). */
  ReplyPrefix[] samplePrefixes(int[][] replies, Random random) {
    List<ReplyPrefix> out = new ArrayList<>();
    for (int r = 0; r < replies.length; r++) {
      int n = replies[r].length;
      int[] t = new int[n];
      Arrays.setAll(t, i -> i);
      for (int i = 0; i < Math.min(settings.positions(), n); i++) {
        int j = i + random.nextInt(n - i);
        int swap = t[i];
        t[i] = t[j];
        t[j] = swap;
        out.add(new ReplyPrefix(r, t[i]));
      }
    }
    return out.toArray(new ReplyPrefix[0]);
  }

  /** Rows of {@code [B, T, d]} hidden states by flat index b*T + t: {@code [P, d]}. */
  static NDArray rowsOf(NDArray hidden, long[] flatRows) {
    Shape s = hidden.getShape();
    NDArray flat = hidden.reshape(s.get(0) * s.get(1), s.get(2));
    return flat.get(new NDIndex("{}", hidden.getManager().create(flatRows)));
  }
}
