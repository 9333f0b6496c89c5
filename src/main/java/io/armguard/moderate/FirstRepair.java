package io.armguard.moderate;

import java.util.Locale;

/**
 * Which repair MODERATE tries first on a flagged reply ({@code moderation.repair}). Both end in the
 * {@link Fallback} when nothing else scores below the margin.
 */
public enum FirstRepair {
  /**
   * Redact first: the kept clause (or the kept sentences) plus the mask, when that keeps some of
   * the reply and scores below the margin; the rest is rewritten (a reply that keeps nothing only
   * under {@link ModerationPolicy#rewriteEmptyPrefix()}). Why the default: a small CPU-trained LM's
   * continuation is often less readable than the reply's own clean part, and the judge rejects more
   * rewrites than redactions (EVALUATION.md).
   */
  REDACT,
  /** Rewrite first: the guided rewrites, then the fallback (redaction down to the mask alone). */
  REWRITE;

  /** Parses {@code redact} or {@code rewrite}, case-insensitive. */
  public static FirstRepair parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT));
  }
}
