package io.armguard.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.armguard.model.GptBackbone;
import io.armguard.model.GptConfig;
import io.armguard.model.ModelDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts a reward model's backbone from a trained LM, as the papers start from GPT-2: the same
 * embeddings, position embeddings and final layer norm, and the LM's first {@code layers} blocks.
 */
public final class BackboneInit {
  private BackboneInit() {}

  /** A new backbone of {@code layers} blocks (<= the LM's) initialised from {@code lmDir}. */
  public static GptBackbone fromLm(Path lmDir, int layers, NDManager manager, int seed)
      throws IOException {
    try (NDManager scratch = manager.newSubManager()) {
      ModelDirectory.Loaded lm = ModelDirectory.load(lmDir, scratch);
      GptConfig c = lm.config();
      if (layers > c.nLayer()) {
        throw new IllegalArgumentException(
            "reward model wants "
                + layers
                + " layers, the LM "
                + lmDir
                + " has only "
                + c.nLayer());
      }
      GptConfig config =
          GptConfig.of(c.vocabSize(), c.nPositions(), c.nEmbd(), layers, c.nHead())
              .withActivation(c.activationFunction());
      GptBackbone backbone = GptBackbone.randomlyInitialized(config, manager, seed);
      Map<String, Parameter> source = lm.backbone().namedParameters();
      for (Map.Entry<String, Parameter> e : backbone.namedParameters().entrySet()) {
        Parameter from = source.get(e.getKey());
        if (from == null) {
          throw new IllegalStateException("LM has no tensor " + e.getKey());
        }
        NDArray src = from.getArray();
        e.getValue().getArray().set(src.toFloatArray());
      }
      if (lm.tokenizer() != null) {
        lm.tokenizer().close();
      }
      return backbone;
    }
  }
}
