package io.armguard.decode;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Restores sentence case in text decoded from a lower-casing (uncased WordPiece) vocabulary: the
 * first letter of every sentence, and the pronoun "i" with its contractions, are capitalised. The
 * caller's own text (a prompt, a kept prefix) is never touched: only the decoded continuation is.
 * Pure functions; thread-safe.
 */
public final class SentenceCase {
  // a sentence end (not the abbreviations i.e. / e.g.), closing quotes or brackets, space, a letter
  private static final Pattern SENTENCE_START =
      Pattern.compile("(?<!i\\.e|e\\.g)([.!?]['\")\\]]*\\s+)(\\p{Ll})");
  // "i" alone or in i'm, i'd, i'll, i've, i's, but not the "i" of "i.e."
  private static final Pattern PRONOUN_I =
      Pattern.compile("(?<![\\p{L}\\p{N}'])i(?=('(m|d|ll|ve|s))?(?![\\p{L}\\p{N}]))(?!\\.\\p{L})");

  private SentenceCase() {}

  /**
   * The continuation with sentence case restored.
   *
   * @param context the text it continues (may be empty); decides whether the continuation starts a
   *     sentence
   * @param continuation decoded, lower-cased text
   */
  public static String restore(String context, String continuation) {
    if (continuation.isEmpty()) {
      return continuation;
    }
    StringBuilder out = new StringBuilder(continuation);
    if (startsSentence(context)) {
      for (int i = 0; i < out.length(); i++) {
        char c = out.charAt(i);
        if (Character.isLetter(c)) {
          out.setCharAt(i, Character.toUpperCase(c));
          break;
        }
        if (!Character.isWhitespace(c) && "\"'([".indexOf(c) < 0) {
          break;
        }
      }
    }
    Matcher m = SENTENCE_START.matcher(out);
    StringBuilder done = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(done, Matcher.quoteReplacement(m.group(1) + m.group(2).toUpperCase()));
    }
    m.appendTail(done);
    return PRONOUN_I.matcher(done).replaceAll("I");
  }

  private static boolean startsSentence(String context) {
    if (context.endsWith("\n")) {
      return true;
    }
    String t = context.stripTrailing();
    return t.isEmpty() || ".!?".indexOf(t.charAt(t.length() - 1)) >= 0;
  }
}
