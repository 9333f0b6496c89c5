package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import io.armguard.decode.DecodeRequest;
import io.armguard.decode.SteeringDirection;
import io.armguard.decode.Strategy;
import io.armguard.moderate.Task;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.Mode;
import java.nio.charset.StandardCharsets;

/**
 * Turns a validated request into a {@link Task}: fields left null take the configured defaults, and
 * a missing seed is derived from the request id so that a replay (e.g. after a crash under EOS)
 * decodes the same tokens.
 */
public final class TaskFactory {

  private final ArmguardConfig config;

  public TaskFactory(ArmguardConfig config) {
    this.config = config;
  }

  public Task toTask(GenerationRequest r) {
    Strategy strategy =
        Strategy.valueOf(
            (r.getStrategy() == null ? config.decodeStrategy() : r.getStrategy()).name());
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
    float threshold =
        r.getToxicityThreshold() == null ? config.toxicityThreshold() : r.getToxicityThreshold();
    return r.getMode() == Mode.MODERATE
        ? new Task(
            Task.Kind.MODERATE,
            r.getRequestId(),
            r.getPrompt(),
            r.getResponse(),
            decoding,
            threshold)
        : new Task(Task.Kind.GENERATE, r.getRequestId(), r.getPrompt(), null, decoding, threshold);
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
