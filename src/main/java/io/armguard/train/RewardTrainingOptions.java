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
 *     init with {@code dModel}, {@code heads}, {@code context}, {@code merges})
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
    String command) {

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
    return o;
  }
}
