package io.armguard.moderate;

import java.util.Locale;

/** What MODERATE delivers when every rewrite attempt failed ({@code moderation.fallback}). */
public enum Fallback {
  /**
   * The kept clean prefix plus the redaction mask in place of the flagged span, re-scored; if that
   * is still flagged the reply is BLOCKED.
   */
  REDACT,
  /** The configured fallback text instead of the reply. */
  BLOCK;

  /** Parses {@code redact} or {@code block}, case-insensitive. */
  public static Fallback parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT));
  }
}
