package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import io.armguard.decode.GuidedEngine;
import io.armguard.decode.Strategy;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.Mode;
import java.util.Optional;

/**
 * Semantic checks of a deserialized request, before it may enter the micro-batch buffer: every
 * problem found becomes a REJECTED completion naming it (the producer always hears back), never an
 * exception. Token counts come from the stream thread's engine (its tokenizer).
 */
public final class RequestValidator {

  private final ArmguardConfig config;

  public RequestValidator(ArmguardConfig config) {
    this.config = config;
  }

  /** Why the request cannot be served, or empty when it can. */
  public Optional<String> problem(GenerationRequest r, GuidedEngine engine) {
    if (r.getRequestId() == null || r.getRequestId().isBlank()) {
      return Optional.of("request_id is empty");
    }
    if (SchemaEnums.kind(r.getMode()).isEmpty()) {
      return Optional.of(
          "mode is a symbol this armguard does not know (a newer writer's; read as "
              + r.getMode()
              + "): send GENERATE or MODERATE");
    }
    io.armguard.schema.Strategy avroStrategy =
        r.getStrategy() == null
            ? SchemaEnums.configuredStrategy(config.decodeStrategy())
            : r.getStrategy();
    Optional<Strategy> strategy = SchemaEnums.strategy(avroStrategy);
    if (strategy.isEmpty()) {
      return Optional.of(
          "strategy is a symbol this armguard does not know (a newer writer's; read as "
              + avroStrategy
              + "): send ARM, RAD, UNGUIDED or null");
    }
    if (!engine.supports(strategy.get())) {
      return Optional.of("strategy " + strategy.get() + " has no reward model loaded");
    }
    if (r.getPrompt() == null || r.getPrompt().isBlank()) {
      return Optional.of("prompt is empty");
    }
    if (r.getMode() == Mode.MODERATE && (r.getResponse() == null || r.getResponse().isBlank())) {
      return Optional.of("MODERATE request without a response");
    }
    int maxNew = r.getMaxNewTokens() == null ? config.decodeMaxNewTokens() : r.getMaxNewTokens();
    if (maxNew < 1 || maxNew > config.decodeMaxNewTokensLimit()) {
      return Optional.of(
          "max_new_tokens " + maxNew + " outside [1, " + config.decodeMaxNewTokensLimit() + "]");
    }
    if (r.getTopK() != null && (r.getTopK() < 1 || r.getTopK() > config.decodeTopKLimit())) {
      return Optional.of("top_k " + r.getTopK() + " outside [1, " + config.decodeTopKLimit() + "]");
    }
    if (r.getBeta() != null && !(r.getBeta() >= 0 && r.getBeta() <= ArmguardConfig.BETA_MAX)) {
      return Optional.of("beta " + r.getBeta() + " outside [0, " + ArmguardConfig.BETA_MAX + "]");
    }
    if (r.getTemperature() != null
        && !(r.getTemperature() >= 0 && r.getTemperature() <= ArmguardConfig.TEMPERATURE_MAX)) {
      return Optional.of(
          "temperature "
              + r.getTemperature()
              + " outside [0, "
              + ArmguardConfig.TEMPERATURE_MAX
              + "]");
    }
    Float threshold = r.getToxicityThreshold();
    if (threshold != null && !(threshold >= 0f && threshold <= 1f)) {
      return Optional.of("toxicity_threshold " + threshold + " outside [0, 1]");
    }
    // The decoder sees prompt (+ kept response prefix) + new tokens: all must fit the context.
    int tokens = engine.countTokens(r.getPrompt());
    if (r.getMode() == Mode.MODERATE) {
      tokens += engine.countTokens(r.getResponse());
    }
    if (tokens + maxNew > engine.contextSize()) {
      return Optional.of(
          String.format(
              "%s has %d tokens; with max_new_tokens %d it exceeds the model's context of %d",
              r.getMode() == Mode.MODERATE ? "prompt + response" : "prompt",
              tokens,
              maxNew,
              engine.contextSize()));
    }
    return Optional.empty();
  }
}
