package io.armguard.eval;

import ai.djl.ndarray.NDManager;
import io.armguard.reward.RewardModel;
import io.armguard.reward.RewardModels;
import io.armguard.train.ReplyScores;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * A judge that is a reward-model directory: a classifier of the RAD kind fine-tuned on another
 * encoder family than the reward models it judges (bge-small-en-v1.5, while they start from MiniLM)
 * and trained on the judge's share of the reply set only ({@code train replies
 * --train-on-judge-share}). A text's score is the calibrated steering-label output after its last
 * token, the text scored alone and cut to the model's token limit. Holds the model's native memory
 * until {@link #close}; one scoring call at a time.
 */
public final class RewardModelJudge implements TextJudge {
  /** Decision threshold on the calibrated probability, as for the reward models. */
  public static final double THRESHOLD = 0.5;

  private final NDManager manager;
  private final RewardModel model;

  private RewardModelJudge(NDManager manager, RewardModel model) {
    this.manager = manager;
    this.model = model;
  }

  /**
   * Loads the reward-model directory {@code dir} on the CPU.
   *
   * @throws IOException if it is not a reward-model directory
   */
  public static RewardModelJudge load(Path dir) throws IOException {
    NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu());
    try {
      return new RewardModelJudge(manager, RewardModels.load(dir, manager));
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  @Override
  public double[] score(List<String> texts, IntConsumer progress) {
    String steering = model.info().steeringLabel();
    return scoreLabels(texts, progress).stream().mapToDouble(m -> m.get(steering)).toArray();
  }

  @Override
  public List<Map<String, Float>> scoreLabels(List<String> texts, IntConsumer progress) {
    List<String> labels = model.info().labels();
    List<Map<String, Float>> out = new ArrayList<>(texts.size());
    int chunk = 256;
    for (int start = 0; start < texts.size(); start += chunk) {
      List<String> part = texts.subList(start, Math.min(texts.size(), start + chunk));
      double[][] raw = ReplyScores.finalRawOfTexts(model, part, model.maxTokens(), manager);
      for (int i = 0; i < raw.length; i++) {
        Map<String, Float> m = new LinkedHashMap<>();
        for (int j = 0; j < labels.size(); j++) {
          // an empty text is no evidence of anything
          m.put(
              labels.get(j),
              part.get(i).isEmpty() ? 0f : (float) model.info().output().apply(raw[i][j], j));
        }
        out.add(m);
      }
      progress.accept(part.size());
    }
    return out;
  }

  @Override
  public double threshold() {
    return THRESHOLD;
  }

  /** The model's id, {@code name@sha256-prefix}. */
  public String id() {
    return model.id();
  }

  @Override
  public void close() {
    manager.close();
  }
}
