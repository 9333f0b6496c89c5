/**
 * Transformer trunks as DJL blocks behind the {@link io.armguard.model.Backbone} contract (GPT-2:
 * {@code GptBackbone}; BERT family: {@code BertBackbone}, bidirectional or causal with a KV cache;
 * both on {@code TransformerBackbone}), {@code CausalLm}, KV caches and left padding, safetensors
 * and Hugging Face model directories (including tensors referenced from a pinned Maven artifact,
 * {@code external.json}), tokenizers (byte-level BPE and WordPiece), device and thread selection.
 * The {@code onnx} subpackage imports encoders from ONNX exports.
 *
 * <p>Allowed imports: DJL, the JDK; nothing of {@code reward}, {@code decode}, Kafka or the upper
 * floors.
 */
package io.armguard.model;
