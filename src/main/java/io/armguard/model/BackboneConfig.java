package io.armguard.model;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What the code around a {@link Backbone} (decoder, reward heads, trainers, KV cache) needs to know
 * of its shape, whatever the architecture: sizes, context and the ids that start and end a text.
 * Implemented by {@link GptConfig} ({@code model_type: gpt2}) and {@link BertConfig} ({@code
 * model_type: bert}); each reads and writes its own Hugging Face {@code config.json} keys.
 */
public interface BackboneConfig {

  /** Hugging Face {@code model_type}: {@code gpt2} or {@code bert}. */
  String modelType();

  /** Number of token ids (rows of the token embedding). */
  int vocabSize();

  /** Longest sequence, counting left padding and cached positions (rows of the position table). */
  int maxPositions();

  /** Hidden size d. */
  int hiddenSize();

  /** Number of transformer blocks (one {@link KvCache} layer each). */
  int layerCount();

  /** Number of attention heads. */
  int headCount();

  /** Id placed before a text (GPT-2: {@code <|endoftext|>}; BERT: {@code [CLS]}). */
  int bosTokenId();

  /** Id that ends a generated text (GPT-2: {@code <|endoftext|>}; BERT: {@code [SEP]}). */
  int eosTokenId();

  /** This config with the first {@code layers} blocks only (a smaller model from a larger one). */
  BackboneConfig withLayers(int layers);

  /** This config with causal attention (GPT-2: itself; BERT: {@code is_decoder: true}). */
  BackboneConfig asCausal();

  /** Writes this config as the architecture's Hugging Face {@code config.json}. */
  void write(Path configJson) throws IOException;

  /**
   * Reads a {@code config.json}, dispatching on {@code model_type} (missing: {@code gpt2}, as older
   * GPT-2 checkpoints omit it).
   *
   * @throws IOException for another model_type, naming the supported ones
   */
  static BackboneConfig read(Path configJson) throws IOException {
    String t = ConfigJson.str(ConfigJson.read(configJson), "model_type", "gpt2");
    return switch (t) {
      case "gpt2" -> GptConfig.read(configJson);
      case "bert" -> BertConfig.read(configJson);
      default ->
          throw new IOException(
              configJson + ": model_type '" + t + "' is not supported (supported: gpt2, bert)");
    };
  }
}
