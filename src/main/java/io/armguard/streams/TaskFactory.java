package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import io.armguard.decode.DecodeRequest;
import io.armguard.decode.SteeringDirection;
import io.armguard.decode.Strategy;
import io.armguard.moderate.CategoryThresholds;
import io.armguard.moderate.Task;
import io.armguard.schema.GenerationRequest;
import java.nio.charset.StandardCharsets;

/**
 * Turns a validated request into a {@link Task}: fields left null take the configured defaults, and
 * a missing seed is derived from the request id so that a replay (e.g. after a crash under EOS)
 * decodes the same tokens. Only for requests {@link RequestValidator} accepted (known mode and
 * strategy). Thread-safe.
 */
public final class TaskFactory {

  private final ArmguardConfig config;
  private final CategoryThresholds thresholds;

  public TaskFactory(ArmguardConfig config) {
    this.config = config;
    this.thresholds =
        new CategoryThresholds(config.toxicityThreshold(), config.categoryThresholds());
  }

  /** The configured per-category thresholds (no request override). */
  public CategoryThresholds thresholds() {
    return thresholds;
  }

  public Task toTask(GenerationRequest r) {
    Strategy strategy =
        SchemaEnums.strategy(
                r.getStrategy() == null
                    ? SchemaEnums.configuredStrategy(config.decodeStrategy())
                    : r.getStrategy())
            .orElseThrow(() -> new IllegalArgumentException("unknown strategy: not validated"));
    Task.Kind kind =
        SchemaEnums.kind(r.getMode())
            .orElseThrow(() -> new IllegalArgumentException("unknown mode: not validated"));
    DecodeRequest decoding =
        new DecodeRequest(
            r.getRequestId(),
            r.getPrompt(),
            orDefault(r.getMaxNewTokens(), config.decodeMaxNewTokens()),
            orDefault(r.getTopK(), config.decodeTopK()),
            r.getTemperature() == null ? config.decodeTemperature() : r.getTemperature(),
            r.getSeed() == null ? seedOf(r.getRequestId()) : r.getSeed(),
            strategy,
            r.getBeta() == null ? config.decodeBeta() : r.getBeta(),
            SteeringDirection.AWAY_FROM_LABEL);
    CategoryThresholds t = thresholds.withRequestThreshold(r.getToxicityThreshold());
    return kind == Task.Kind.MODERATE
        ? Task.moderate(r.getRequestId(), r.getPrompt(), r.getResponse(), decoding, t)
        : Task.generate(r.getRequestId(), r.getPrompt(), decoding, t);
  }

  private static int orDefault(Integer v, int def) {
    return v == null ? def : v;
  }

  /** 64-bit FNV-1a of the request id: stable across JVMs, unlike String.hashCode's 32 bits. */
  static long seedOf(String requestId) {
    long h = 0xcbf29ce484222325L;
    for (byte b : requestId.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
