package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import io.armguard.moderate.Fallback;
import io.armguard.moderate.FirstRepair;
import io.armguard.moderate.ModerationMode;
import io.armguard.moderate.ModerationPolicy;

/** The moderation policy the configuration describes (the topology and the CLI build it here). */
public final class ModerationConfig {

  private ModerationConfig() {}

  /** {@code moderation.*}, {@code rewrite.*} and {@code generate.min.new.tokens} as a policy. */
  public static ModerationPolicy policy(ArmguardConfig c) {
    return ModerationPolicy.builder()
        .mode(ModerationMode.parse(c.moderationMode()))
        .maxAttempts(c.rewriteMaxAttempts())
        .rewriteMinNewTokens(c.intValue(ArmguardConfig.REWRITE_MIN_NEW_TOKENS))
        .rewriteAcceptRatio(c.floatValue(ArmguardConfig.REWRITE_ACCEPT_RATIO))
        .generateMinNewTokens(c.intValue(ArmguardConfig.GENERATE_MIN_NEW_TOKENS))
        .repair(FirstRepair.parse(c.string(ArmguardConfig.MODERATION_REPAIR)))
        .rewriteEmptyPrefix(c.bool(ArmguardConfig.REWRITE_EMPTY_PREFIX))
        .fallback(Fallback.parse(c.moderationFallback()))
        .redactionMask(c.string(ArmguardConfig.MODERATION_REDACTION_MASK))
        .fallbackText(c.rewriteFallbackText())
        .build();
  }
}
