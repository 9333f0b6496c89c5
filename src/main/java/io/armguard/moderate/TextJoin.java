package io.armguard.moderate;

/**
 * How armguard joins texts it did not write in one piece: a user prompt and a reply prefix (the
 * LM's context of a rewrite), and a kept reply prefix and the text generated after it (the
 * delivered reply). A space goes in only where two words would otherwise run together, so a kept
 * prefix stays byte-identical at the front of what is delivered.
 */
public final class TextJoin {

  private TextJoin() {}

  /**
   * {@code head + tail}, with one space between when {@code head} ends and {@code tail} starts with
   * a non-whitespace char and {@code tail} starts with a letter or digit (a tokenizer without
   * leading-space tokens, e.g. WordPiece, decodes a continuation without its space).
   */
  public static String words(String head, String tail) {
    if (head.isEmpty()) {
      return tail.stripLeading(); // a reply does not start with the continuation's space
    }
    if (tail.isEmpty()) {
      return head;
    }
    char last = head.charAt(head.length() - 1);
    char first = tail.charAt(0);
    boolean needsSpace = !Character.isWhitespace(last) && Character.isLetterOrDigit(first);
    return needsSpace ? head + " " + tail : head + tail;
  }

  /** The LM's context of a rewrite: the user's prompt, then the kept reply prefix as its answer. */
  public static String promptAndReply(String prompt, String keptReply) {
    if (keptReply.isEmpty() || prompt.isEmpty()) {
      return prompt + keptReply; // a streamed reply may come without its prompt
    }
    char last = prompt.charAt(prompt.length() - 1);
    return Character.isWhitespace(last) ? prompt + keptReply : prompt + " " + keptReply;
  }
}
