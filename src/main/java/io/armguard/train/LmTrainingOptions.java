package io.armguard.train;

import com.google.gson.JsonObject;
import java.nio.file.Path;

/**
 * Settings of {@code train lm}. Defaults (see docs/training.md for the measured step times): a
 * 4-layer, 256-wide GPT-2 with GPT-2's vocabulary cut to the first 8,000 merges and a 128-token
 * context.
 */
public record LmTrainingOptions(
    Path data,
    Path out,
    int layers,
    int dModel,
    int heads,
    int context,
    int merges,
    int batch,
    int steps,
    float learningRate,
    int warmupSteps,
    double clipNorm,
    float weightDecay,
    long seed,
    int evalEvery,
    int evalWindows,
    int checkpointEvery,
    boolean restart,
    String command) {

  /** The settings that must match for a checkpoint to be resumed. */
  JsonObject identity() {
    JsonObject o = new JsonObject();
    o.addProperty("layers", layers);
    o.addProperty("d_model", dModel);
    o.addProperty("heads", heads);
    o.addProperty("context", context);
    o.addProperty("merges", merges);
    o.addProperty("batch", batch);
    o.addProperty("steps", steps);
    o.addProperty("learning_rate", learningRate);
    o.addProperty("warmup_steps", warmupSteps);
    o.addProperty("clip_norm", clipNorm);
    o.addProperty("weight_decay", weightDecay);
    o.addProperty("seed", seed);
    return o;
  }
}
