package io.armguard.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.armguard.data.BinaryMetrics;
import io.armguard.data.ReplyLabels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The judge's heads trained on a tiny synthetic set (a stand-in encoder whose first coordinate says
 * "toxic" and second "threat"), saved, loaded and scored.
 */
class ToxicityJudgeTest {
  private static final List<String> LABELS = List.of(ReplyLabels.TOXICITY, "threat");

  /**
   * Embeds "t..." texts around +1 on axis 0, "k..." (threats) also on axis 1, else around -1, with
   * unit noise (overlapping classes, as real data: Platt scaling needs a validation set that is not
   * separable).
   */
  static final class StubEncoder implements SentenceEncoder {
    @Override
    public String id() {
      return "stub";
    }

    @Override
    public int dimension() {
      return 4;
    }

    @Override
    public float[][] embed(List<String> texts, IntConsumer progress) {
      float[][] out = new float[texts.size()][];
      for (int i = 0; i < out.length; i++) {
        String t = texts.get(i);
        Random r = new Random(t.hashCode());
        boolean toxic = t.startsWith("t") || t.startsWith("k");
        boolean threat = t.startsWith("k");
        out[i] =
            new float[] {
              (toxic ? 1f : -1f) + (float) r.nextGaussian(),
              (threat ? 1f : -1f) + (float) r.nextGaussian(),
              (float) r.nextGaussian(),
              (float) r.nextGaussian()
            };
      }
      progress.accept(texts.size());
      return out;
    }
  }

  private static List<String> texts(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(prefix + " text " + i);
    }
    return out;
  }

  private static float[][] labels(List<String> texts) {
    return texts.stream()
        .map(t -> new float[] {t.startsWith("c") ? 0 : 1, t.startsWith("k") ? 1 : 0})
        .toArray(float[][]::new);
  }

  private static List<String> mixed(String tag, int clean, int toxic, int threats) {
    List<String> all = new ArrayList<>(texts("c" + tag, clean));
    all.addAll(texts("t" + tag, toxic));
    all.addAll(texts("k" + tag, threats));
    return all;
  }

  @Test
  void fitsCalibratedHeadsThatRankHeldOutTextsAndSurviveSavingAndLoading(@TempDir Path dir)
      throws Exception {
    StubEncoder encoder = new StubEncoder();
    List<String> train = mixed("train", 60, 40, 20);
    List<String> valid = mixed("valid", 30, 20, 10);
    List<JudgeHead> heads =
        JudgeTrainer.fitHeads(
            LABELS,
            encoder.embed(train, n -> {}),
            labels(train),
            ToxicityJudge.embedPieces(encoder, valid, n -> {}),
            labels(valid),
            1e-3);
    ToxicityJudge judge = new ToxicityJudge(encoder, heads, 0.5);

    List<String> test = mixed("test", 50, 30, 20);
    double[] scores = judge.score(test);
    int[] y = test.stream().mapToInt(t -> t.startsWith("c") ? 0 : 1).toArray();
    assertTrue(BinaryMetrics.auc(scores, y) > 0.85, "toxicity AUC " + BinaryMetrics.auc(scores, y));
    double[] threat =
        judge.scoreLabels(test, n -> {}).stream().mapToDouble(m -> m.get("threat")).toArray();
    int[] threatY = test.stream().mapToInt(t -> t.startsWith("k") ? 1 : 0).toArray();
    assertTrue(
        BinaryMetrics.auc(threat, threatY) > 0.85,
        "threat AUC " + BinaryMetrics.auc(threat, threatY));
    // Platt on a validation set that is half toxic: the mean probability there is about one half
    double validMean = java.util.Arrays.stream(judge.score(valid)).average().orElseThrow();
    assertEquals(0.5, validMean, 0.05);

    ToxicityJudge.save(dir, ToxicityJudge.bgeSpec("ab".repeat(32)), heads, 0.5, new JsonObject());
    List<String> seenSha = new ArrayList<>();
    ToxicityJudge loaded =
        ToxicityJudge.load(
            dir,
            sha -> {
              seenSha.add(sha);
              return encoder;
            });
    assertEquals(List.of("ab".repeat(32)), seenSha);
    assertEquals(LABELS, loaded.labels());
    assertEquals(0.5, loaded.threshold());
    // weights are stored as float: scores agree to float precision
    assertArrayEquals(scores, loaded.score(test), 1e-5);
  }

  @Test
  void refusesALabelWithoutPositivesAndAJudgeWithoutAToxicityHead() {
    StubEncoder encoder = new StubEncoder();
    List<String> clean = texts("c", 20);
    float[][] x = encoder.embed(clean, n -> {});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                JudgeTrainer.fitHeads(
                    LABELS,
                    x,
                    labels(clean),
                    ToxicityJudge.embedPieces(encoder, clean, n -> {}),
                    labels(clean),
                    1e-3));
    assertTrue(e.getMessage().contains("toxicity"), e.getMessage());
    JudgeHead threat = JudgeHead.uncalibrated("threat", new LogisticRegression(new double[4], 0));
    assertThrows(
        IllegalArgumentException.class, () -> new ToxicityJudge(encoder, List.of(threat), 0.5));
    JudgeHead wrongSize =
        JudgeHead.uncalibrated(ReplyLabels.TOXICITY, new LogisticRegression(new double[3], 0));
    assertThrows(
        IllegalArgumentException.class, () -> new ToxicityJudge(encoder, List.of(wrongSize), 0.5));
  }

  @Test
  void namesAMissingOrForeignJudgeFile(@TempDir Path dir) throws Exception {
    java.io.IOException missing =
        assertThrows(java.io.IOException.class, () -> ToxicityJudge.load(dir));
    assertTrue(missing.getMessage().contains("train judge"), missing.getMessage());
    Files.writeString(dir.resolve(ToxicityJudge.FILE), "{\"kind\":\"toxicity-evaluator\"}");
    java.io.IOException foreign =
        assertThrows(
            java.io.IOException.class, () -> ToxicityJudge.load(dir, sha -> new StubEncoder()));
    assertTrue(foreign.getMessage().contains("toxicity-judge"), foreign.getMessage());
  }
}
