package io.armguard.train;

import com.google.gson.JsonObject;
import java.nio.file.Path;

/**
 * Settings of {@code train lm}. Defaults (see docs/training.md for the measured step times): a
 * 4-layer, 256-wide GPT-2 with GPT-2's vocabulary cut to the first 8,000 merges and a 128-token
 * context.
 *
 * @param initFrom a pretrained backbone directory (e.g. an imported MiniLM) whose first {@code
 *     layers} layers start the LM, made causal, with its tokenizer and a frozen, tied token
 *     embedding; null: a GPT-2 from scratch with {@code dModel}, {@code heads}, {@code merges}
 * @param chatReplies a reply set folder whose clean replies of the training batches (prompt, a
 *     space, reply; never the validation or test batches) are added to the corpus, repeated {@link
 *     LmTrainer#CHAT_REPEATS} times; null: the corpus alone
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
    String command,
    Path initFrom,
    Path chatReplies) {

  /** Settings of a GPT-2 LM trained from scratch on the prepared corpus alone. */
  public LmTrainingOptions(
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
    this(
        data,
        out,
        layers,
        dModel,
        heads,
        context,
        merges,
        batch,
        steps,
        learningRate,
        warmupSteps,
        clipNorm,
        weightDecay,
        seed,
        evalEvery,
        evalWindows,
        checkpointEvery,
        restart,
        command,
        null,
        null);
  }

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
    if (initFrom != null) {
      o.addProperty("init_from", initFrom.toString());
    }
    if (chatReplies != null) {
      o.addProperty("chat_replies", chatReplies.toString());
    }
    return o;
  }
}
