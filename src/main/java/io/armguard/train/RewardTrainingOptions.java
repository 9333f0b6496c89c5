package io.armguard.train;

import com.google.gson.JsonObject;
import io.armguard.reward.RewardKind;
import java.nio.file.Path;

/**
 * Settings of {@code train rad} and {@code train arm}.
 *
 * @param regime ARM only: RESPONSES (regress observed-token scores onto the text's label with the
 *     cumulative weighted loss) or DISTILL (regress onto a RAD teacher's scores); null for RAD
 * @param teacher the RAD model directory for DISTILL, else null
 * @param initFrom LM directory whose embeddings and first blocks start the backbone (null: random
 *     init with {@code dModel}, {@code heads}, {@code context}, {@code merges}); a GPT-2 LM or a
 *     BERT-family encoder ({@code model import}), made causal
 * @param freezing backbone parameters left untouched ({@link Freezing#NONE}: train everything)
 */
public record RewardTrainingOptions(
    RewardKind kind,
    Regime regime,
    Path data,
    Path out,
    Path teacher,
    Path initFrom,
    int layers,
    int dModel,
    int heads,
    int context,
    int merges,
    int maxTokens,
    int batch,
    int steps,
    float learningRate,
    int warmupSteps,
    double clipNorm,
    float weightDecay,
    float regulariserWeight,
    long seed,
    int checkpointEvery,
    boolean restart,
    String command,
    Freezing freezing) {

  /** Options that train every backbone parameter ({@link Freezing#NONE}). */
  public RewardTrainingOptions(
      RewardKind kind,
      Regime regime,
      Path data,
      Path out,
      Path teacher,
      Path initFrom,
      int layers,
      int dModel,
      int heads,
      int context,
      int merges,
      int maxTokens,
      int batch,
      int steps,
      float learningRate,
      int warmupSteps,
      double clipNorm,
      float weightDecay,
      float regulariserWeight,
      long seed,
      int checkpointEvery,
      boolean restart,
      String command) {
    this(
        kind,
        regime,
        data,
        out,
        teacher,
        initFrom,
        layers,
        dModel,
        heads,
        context,
        merges,
        maxTokens,
        batch,
        steps,
        learningRate,
        warmupSteps,
        clipNorm,
        weightDecay,
        regulariserWeight,
        seed,
        checkpointEvery,
        restart,
        command,
        Freezing.NONE);
  }

  /** These options with other {@link Freezing}. */
  public RewardTrainingOptions withFreezing(Freezing f) {
    return new RewardTrainingOptions(
        kind,
        regime,
        data,
        out,
        teacher,
        initFrom,
        layers,
        dModel,
        heads,
        context,
        merges,
        maxTokens,
        batch,
        steps,
        learningRate,
        warmupSteps,
        clipNorm,
        weightDecay,
        regulariserWeight,
        seed,
        checkpointEvery,
        restart,
        command,
        f);
  }

  /** ARM training regimes (ALGORITHM.md section 3). */
  public enum Regime {
    RESPONSES,
    DISTILL
  }

  JsonObject identity() {
    JsonObject o = new JsonObject();
    o.addProperty("kind", kind.name());
    o.addProperty("regime", regime == null ? "-" : regime.name());
    o.addProperty("teacher", teacher == null ? "-" : teacher.toString());
    o.addProperty("init_from", initFrom == null ? "-" : initFrom.toString());
    o.addProperty("layers", layers);
    o.addProperty("max_tokens", maxTokens);
    o.addProperty("batch", batch);
    o.addProperty("steps", steps);
    o.addProperty("learning_rate", learningRate);
    o.addProperty("warmup_steps", warmupSteps);
    o.addProperty("clip_norm", clipNorm);
    o.addProperty("weight_decay", weightDecay);
    o.addProperty("regulariser_weight", regulariserWeight);
    o.addProperty("seed", seed);
    if (freezing.any()) { // absent when nothing is frozen: older checkpoints keep resuming
      o.addProperty("freeze_embeddings", freezing.embeddings());
      o.addProperty("freeze_lowest_layers", freezing.lowestLayers());
    }
    return o;
  }
}
