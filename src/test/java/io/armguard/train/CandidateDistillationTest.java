package io.armguard.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.armguard.model.CausalLm;
import io.armguard.model.GptConfig;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.ArmRewardModel;
import io.armguard.reward.RadRewardModel;
import io.armguard.reward.RewardKind;
import io.armguard.reward.RewardModelInfo;
import io.armguard.reward.RewardModels;
import io.armguard.reward.ScoreOutput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Candidate distillation on tiny random models: a step's targets are the LM's top k after the
 * sampled prefixes and the teacher's calibrated scores of them; training on the candidate MSE
 * drives the student to rank candidates like the teacher; teachers and LMs that do not share the
 * student's vocabulary or labels, or whose scores are not calibrated probabilities, are refused
 * with a message naming the option.
 */
class CandidateDistillationTest {
  private static NDManager root;
  private static TextTokenizer tok;
  private static RadRewardModel teacher;
  private static CausalLm lm;

  @BeforeAll
  static void setUp() throws Exception {
    root = NDManager.newBaseManager();
    tok = TextTokenizer.gpt2(DistillationFixtures.MERGES);
    teacher = DistillationFixtures.teacher(DistillationFixtures.config(), tok, root, 21, 10f);
    lm = DistillationFixtures.lm(DistillationFixtures.config(), root, 22);
  }

  @AfterAll
  static void tearDown() {
    tok.close();
    root.close();
  }

  private static CandidateDistillation distillation(
      ArmRewardModel student, int k, int positions, int batch) {
    return new CandidateDistillation(
        DistillationFixtures.settings(k, positions, batch), teacher, lm, tok, "lm@test", student);
  }

  /** Random replies of 2..9 tokens, right-padded as ReplyBatches pads them. */
  private static int[][] replies(int n, long seed) {
    Random r = new Random(seed);
    int[][] out = new int[n][];
    for (int i = 0; i < n; i++) {
      out[i] = r.ints(2 + r.nextInt(8), 0, 299).toArray();
    }
    return out;
  }

  private static NDArray[] rightPadded(int[][] replies, NDManager m) {
    int width = Arrays.stream(replies).mapToInt(a -> a.length).max().orElse(1);
    long[][] ids = new long[replies.length][width];
    long[][] mask = new long[replies.length][width];
    for (int r = 0; r < replies.length; r++) {
      for (int j = 0; j < replies[r].length; j++) {
        ids[r][j] = replies[r][j];
        mask[r][j] = 1;
      }
    }
    return new NDArray[] {m.create(ids), m.create(mask)};
  }

  @Test
  void targetsAreTheLmsTopKAtSampledPrefixesAndTheTeachersCalibratedScores() {
    int[][] batch = replies(6, 1);
    int k = 4;
    try (NDManager m = root.newSubManager()) {
      ArmRewardModel student =
          DistillationFixtures.student(DistillationFixtures.config(), tok, m, 3);
      CandidateDistillation d = distillation(student, k, 2, 3);
      NDArray[] in = rightPadded(batch, m);
      int width = (int) in[0].getShape().get(1);
      CandidateDistillation.Targets t = d.targets(in[0], in[1], 5, 7, m);
      assertEquals(6, t.hiddenRows().length, "3 replies x 2 positions");
      long[] candidates = t.candidates().toLongArray();
      float[] teacherScores = t.teacher().toFloatArray();
      RadCandidateScorer scorer = new RadCandidateScorer(teacher);
      java.util.Set<Integer> rows = new java.util.HashSet<>();
      for (int i = 0; i < t.hiddenRows().length; i++) {
        int row = (int) (t.hiddenRows()[i] / width);
        int pos = (int) (t.hiddenRows()[i] % width);
        rows.add(row);
        assertTrue(pos < batch[row].length, "a real position");
        ReplyPrefix[] one = {new ReplyPrefix(0, pos)};
        int[][] reply = {batch[row]};
        long[] expected = new LmCandidates(lm.forInference(), k).topK(reply, one, m).toLongArray();
        long[] got = Arrays.copyOfRange(candidates, i * k, (i + 1) * k);
        assertArrayEquals(expected, got, "prefix " + pos + " of row " + row);
        float[] raw = scorer.rawScores(reply, one, m.create(new long[][] {got}), m).toFloatArray();
        for (int j = 0; j < k * 2; j++) {
          int label = j % 2;
          double calibrated = teacher.info().output().apply(raw[j], label);
          assertEquals(calibrated, teacherScores[i * k * 2 + j], 1e-5);
        }
      }
      assertEquals(3, rows.size(), "3 distinct replies of the batch");
      CandidateDistillation.Targets again = d.targets(in[0], in[1], 5, 7, m);
      assertArrayEquals(t.hiddenRows(), again.hiddenRows(), "(seed, step) decides the draw");
      assertTrue(
          !Arrays.equals(t.hiddenRows(), d.targets(in[0], in[1], 5, 8, m).hiddenRows()),
          "another step, another draw");
    }
  }

  @Test
  void trainingOnTheCandidateMseMakesTheStudentRankLikeTheTeacher() {
    // one pool of replies: each step draws other prefixes of it; the check reads fixed ones
    int[][] pool = replies(8, 99);
    List<int[]> check = new ArrayList<>(Arrays.asList(pool));
    try (NDManager m = root.newSubManager()) {
      ArmRewardModel student =
          DistillationFixtures.student(DistillationFixtures.config(), tok, m, 4);
      CandidateDistillation d = distillation(student, 8, 3, 8);
      CandidateAgreement before = d.agreement(student, check, 1, m);
      var params = student.trainableParameters();
      AdamW adam = new AdamW(params, m, 0.9f, 0.95f, 1e-8f, 0f);
      float first = 0;
      float last = 0;
      for (int step = 1; step <= 100; step++) {
        try (NDManager s = m.newSubManager()) {
          NDArray[] in = rightPadded(pool, s);
          CandidateDistillation.Targets t = d.targets(in[0], in[1], 1, step, s);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray mse = d.loss(student, student.shiftedHidden(in[0], in[1], true), t);
            gc.backward(mse);
            last = mse.getFloat();
            first = step == 1 ? last : first;
          }
          OptimizerStep.apply(params.values(), adam, 1e-2f, 1.0);
        }
      }
      CandidateAgreement after = d.agreement(student, check, 1, m);
      assertTrue(last < 0.5f * first, "training candidate MSE " + first + " -> " + last);
      assertTrue(after.mse() < 0.5 * before.mse(), before + " -> " + after);
      assertTrue(
          after.meanSpearman() > before.meanSpearman() + 0.2 && after.meanSpearman() > 0.4,
          before + " -> " + after);
      assertEquals(before.sets(), after.sets(), "the same candidate sets every check");
    }
  }

  @Test
  void anLmWithAnotherVocabularyIsRefused() throws Exception {
    try (NDManager m = root.newSubManager();
        TextTokenizer other = TextTokenizer.gpt2(DistillationFixtures.MERGES + 1)) {
      ArmRewardModel student =
          DistillationFixtures.student(DistillationFixtures.config(), tok, m, 3);
      CausalLm wider = DistillationFixtures.lm(GptConfig.of(301, 64, 32, 2, 4), m, 1);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  new CandidateDistillation(
                      DistillationFixtures.settings(4, 2, 4), teacher, wider, other, "x", student));
      assertTrue(
          e.getMessage().contains("--distill-lm") && e.getMessage().contains("vocab_size 301"),
          e.getMessage());
      IllegalArgumentException untokenized =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  new CandidateDistillation(
                      DistillationFixtures.settings(4, 2, 4), teacher, lm, null, "x", student));
      assertTrue(untokenized.getMessage().contains("no tokenizer.json"), untokenized.getMessage());
    }
  }

  @Test
  void aTeacherWithOtherLabelsOrAClampOutputIsRefused() {
    try (NDManager m = root.newSubManager()) {
      ArmRewardModel student =
          DistillationFixtures.student(DistillationFixtures.config(), tok, m, 3);
      RadRewardModel otherLabels =
          (RadRewardModel)
              RewardModels.random(
                  DistillationFixtures.config(),
                  new RewardModelInfo(
                      RewardKind.RAD,
                      List.of("toxicity", "insult"),
                      "toxicity",
                      "AWAY_FROM_LABEL",
                      "test",
                      ScoreOutput.sigmoid(2)),
                  tok,
                  m,
                  5);
      IllegalArgumentException labels =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  new CandidateDistillation(
                      DistillationFixtures.settings(4, 2, 4), otherLabels, lm, tok, "x", student));
      assertTrue(labels.getMessage().contains("same labels"), labels.getMessage());
      RadRewardModel clamped =
          (RadRewardModel)
              RewardModels.random(
                  DistillationFixtures.config(),
                  DistillationFixtures.info(RewardKind.RAD, ScoreOutput.CLAMP),
                  tok,
                  m,
                  5);
      IllegalArgumentException clamp =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  new CandidateDistillation(
                      DistillationFixtures.settings(4, 2, 4), clamped, lm, tok, "x", student));
      assertTrue(clamp.getMessage().contains("sigmoid"), clamp.getMessage());
    }
  }
}
