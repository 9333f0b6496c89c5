package io.armguard.moderate;

/**
 * Word boundaries of a text, in chars: a cut at position {@code c} is on a word boundary when
 * {@code c == 0}, or the char before it is not whitespace and the text ends at {@code c} or has
 * whitespace there. A kept prefix cut there ends with a whole word (and its punctuation), never a
 * word fragment, and never with trailing whitespace.
 */
public final class WordBoundaries {

  private WordBoundaries() {}

  /** Whether {@code c} (0..length) is a word boundary of {@code text}. */
  public static boolean isBoundary(String text, int c) {
    if (c == 0) {
      return true;
    }
    if (c < 0 || c > text.length() || Character.isWhitespace(text.charAt(c - 1))) {
      return false;
    }
    return c == text.length() || Character.isWhitespace(text.charAt(c));
  }

  /** The largest word boundary at or before {@code limit} (clamped to the text). */
  public static int boundaryAtOrBefore(String text, int limit) {
    int c = Math.max(0, Math.min(limit, text.length()));
    while (c > 0 && !isBoundary(text, c)) {
      c--;
    }
    return c;
  }

  /** The first non-whitespace char at or after {@code from}, or the text's length. */
  public static int skipWhitespace(String text, int from) {
    int c = Math.max(0, from);
    while (c < text.length() && Character.isWhitespace(text.charAt(c))) {
      c++;
    }
    return c;
  }
}
