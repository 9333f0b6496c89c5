package io.armguard.train;

import ai.djl.nn.Parameter;
import io.armguard.model.Backbone;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which backbone parameters fine-tuning leaves untouched: the embeddings and/or the lowest N
 * blocks. Keeping a pretrained encoder's bottom fixed saves optimizer memory and time and guards
 * small-data fine-tunes against forgetting; ARM freezes its token embedding E regardless (its own
 * rule, in {@code ArmRewardModel}).
 *
 * @param embeddings freeze the embedding tables (and BERT's embedding LayerNorm)
 * @param lowestLayers freeze blocks 0..lowestLayers-1; 0 for none
 */
public record Freezing(boolean embeddings, int lowestLayers) {

  /** Train everything (the default). */
  public static final Freezing NONE = new Freezing(false, 0);

  public Freezing {
    if (lowestLayers < 0) {
      throw new IllegalArgumentException("lowest layers to freeze must be >= 0: " + lowestLayers);
    }
  }

  /** Whether anything is frozen. */
  public boolean any() {
    return embeddings || lowestLayers > 0;
  }

  /**
   * Freezes the chosen parameters of {@code backbone} (no gradient from then on) and returns their
   * names in checkpoint order.
   *
   * @throws IllegalArgumentException when more layers are asked for than the backbone has
   */
  public List<String> apply(Backbone backbone) {
    int layers = backbone.config().layerCount();
    if (lowestLayers > layers) {
      throw new IllegalArgumentException(
          "cannot freeze the lowest " + lowestLayers + " of " + layers + " layers");
    }
    List<String> frozen = new ArrayList<>();
    for (Map.Entry<String, Parameter> e : backbone.namedParameters().entrySet()) {
      int layer = backbone.layerOf(e.getKey());
      if ((layer < 0 && embeddings) || (layer >= 0 && layer < lowestLayers)) {
        e.getValue().freeze(true);
        frozen.add(e.getKey());
      }
    }
    return frozen;
  }

  /** {@code parameters} without the frozen ones (what the optimizer should update). */
  public static Map<String, Parameter> trainable(Map<String, Parameter> parameters) {
    Map<String, Parameter> out = new LinkedHashMap<>();
    parameters.forEach(
        (name, p) -> {
          if (p.requiresGradient()) {
            out.put(name, p);
          }
        });
    return out;
  }
}
