package io.armguard.moderate;

import java.util.Locale;

/** Whether MODERATE changes text ({@code moderation.mode}). */
public enum ModerationMode {
  /** Flagged replies are rewritten, redacted or blocked. */
  ENFORCE,
  /**
   * Flagged replies are scored and audited but delivered unchanged (action ALLOWED, flagged true):
   * what a team runs first when it adopts a moderation system.
   */
  REPORT_ONLY;

  /** Parses {@code enforce} or {@code report-only} (case-insensitive, '_' or '-'). */
  public static ModerationMode parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  /** The configuration spelling: {@code enforce} or {@code report-only}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
