package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import java.util.Locale;

/**
 * How reply streams are followed ({@code stream.*}, plus the micro-batch keys that batch their
 * scoring). Immutable.
 *
 * @param holdbackTokens tokens a release stays behind the newest scored token
 * @param onFlag what a flagged stream gets
 * @param idleTimeoutMs a stream silent this long is closed as truncated
 * @param closedRetentionMs how long a closed stream's tombstone is kept
 * @param maxPendingChunks chunks held ahead of a gap before the stream is closed
 * @param batchSize streams scored in one engine call at most
 * @param maxDelayMs how long a stream with new text waits for batch mates
 * @param async score on the stream thread's decode worker ({@code batch.max.in.flight > 0})
 */
record StreamSettings(
    int holdbackTokens,
    OnFlag onFlag,
    long idleTimeoutMs,
    long closedRetentionMs,
    int maxPendingChunks,
    int batchSize,
    long maxDelayMs,
    boolean async) {

  /** {@code stream.on.flag}. */
  enum OnFlag {
    REWRITE,
    REDACT,
    BLOCK;

    String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static StreamSettings from(ArmguardConfig c) {
    return new StreamSettings(
        c.intValue(ArmguardConfig.STREAM_HOLDBACK_TOKENS),
        OnFlag.valueOf(c.string(ArmguardConfig.STREAM_ON_FLAG).toUpperCase(Locale.ROOT)),
        c.intValue(ArmguardConfig.STREAM_IDLE_TIMEOUT_MS),
        c.intValue(ArmguardConfig.STREAM_CLOSED_RETENTION_MS),
        c.intValue(ArmguardConfig.STREAM_MAX_PENDING_CHUNKS),
        c.batchSize(),
        c.batchMaxDelayMs(),
        c.batchMaxInFlight() > 0);
  }
}
