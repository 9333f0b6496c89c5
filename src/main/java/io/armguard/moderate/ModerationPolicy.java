package io.armguard.moderate;

/**
 * How MODERATE (and GENERATE's minimum length) is run, service-wide. Build with {@link #builder()};
 * every setting has the service's default. Immutable.
 *
 * @param mode enforce or report-only
 * @param maxAttempts guided regenerations tried before the fallback (0 = fallback at once)
 * @param rewriteMinNewTokens a rewrite must add at least this many tokens (EOS is suppressed
 *     before; a shorter, empty or blank rewrite is a failed attempt)
 * @param rewriteAcceptRatio a rewrite (or redaction) is delivered only when its steering score is
 *     below this share of the threshold, in (0, 1]: a margin, because a reply that the reward model
 *     scores just under the threshold after a rewrite is more often still toxic than one it scores
 *     just under the threshold as written
 * @param generateMinNewTokens GENERATE: EOS suppressed before this many tokens
 * @param repair which repair is tried first: redaction of the clean part, or guided rewrites
 * @param rewriteEmptyPrefix whether a reply flagged from its first clause (nothing kept) is
 *     rewritten, i.e. replaced by a new reply the LM writes to the prompt; if not, it goes straight
 *     to the fallback
 * @param fallback what follows the failed attempts
 * @param redactionMask text that replaces the flagged span under {@link Fallback#REDACT}
 * @param fallbackText delivered text when the reply is BLOCKED
 */
public record ModerationPolicy(
    ModerationMode mode,
    int maxAttempts,
    int rewriteMinNewTokens,
    float rewriteAcceptRatio,
    int generateMinNewTokens,
    FirstRepair repair,
    boolean rewriteEmptyPrefix,
    Fallback fallback,
    String redactionMask,
    String fallbackText) {

  public ModerationPolicy {
    java.util.Objects.requireNonNull(repair, "repair");
    if (maxAttempts < 0) {
      throw new IllegalArgumentException("maxAttempts must be >= 0, got " + maxAttempts);
    }
    if (!(rewriteAcceptRatio > 0f && rewriteAcceptRatio <= 1f)) {
      throw new IllegalArgumentException(
          "rewriteAcceptRatio must be in (0, 1], got " + rewriteAcceptRatio);
    }
    if (rewriteMinNewTokens < 1 || generateMinNewTokens < 0) {
      throw new IllegalArgumentException(
          "need rewriteMinNewTokens >= 1 and generateMinNewTokens >= 0, got "
              + rewriteMinNewTokens
              + " / "
              + generateMinNewTokens);
    }
  }

  /** The service default of {@link #rewriteAcceptRatio()}. */
  public static final float DEFAULT_REWRITE_ACCEPT_RATIO = 0.5f;

  /** The score below which a rewrite or redaction of a reply with this threshold is delivered. */
  public float acceptBelow(float threshold) {
    return threshold * rewriteAcceptRatio;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder with the service defaults. */
  public static final class Builder {
    private ModerationMode mode = ModerationMode.ENFORCE;
    private int maxAttempts = 2;
    private int rewriteMinNewTokens = 4;
    private float rewriteAcceptRatio = DEFAULT_REWRITE_ACCEPT_RATIO;
    private int generateMinNewTokens = 1;
    private FirstRepair repair = FirstRepair.REDACT;
    // off: the shipped LM's new replies are not readable (EVALUATION.md, eighth round)
    private boolean rewriteEmptyPrefix = false;
    private Fallback fallback = Fallback.REDACT;
    private String redactionMask = "[removed]";
    private String fallbackText =
        "[armguard: this response was withheld because it could not be made non-toxic]";

    public Builder mode(ModerationMode v) {
      mode = v;
      return this;
    }

    public Builder maxAttempts(int v) {
      maxAttempts = v;
      return this;
    }

    public Builder rewriteMinNewTokens(int v) {
      rewriteMinNewTokens = v;
      return this;
    }

    public Builder rewriteAcceptRatio(float v) {
      rewriteAcceptRatio = v;
      return this;
    }

    public Builder generateMinNewTokens(int v) {
      generateMinNewTokens = v;
      return this;
    }

    public Builder repair(FirstRepair v) {
      repair = v;
      return this;
    }

    public Builder rewriteEmptyPrefix(boolean v) {
      rewriteEmptyPrefix = v;
      return this;
    }

    public Builder fallback(Fallback v) {
      fallback = v;
      return this;
    }

    public Builder redactionMask(String v) {
      redactionMask = v;
      return this;
    }

    public Builder fallbackText(String v) {
      fallbackText = v;
      return this;
    }

    public ModerationPolicy build() {
      return new ModerationPolicy(
          mode,
          maxAttempts,
          rewriteMinNewTokens,
          rewriteAcceptRatio,
          generateMinNewTokens,
          repair,
          rewriteEmptyPrefix,
          fallback,
          redactionMask,
          fallbackText);
    }
  }
}
