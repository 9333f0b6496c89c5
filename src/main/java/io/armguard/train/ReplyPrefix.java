package io.armguard.train;

/**
 * A prefix of one of a list of replies: its first {@code length} tokens (0 = the empty prefix).
 *
 * @param reply index into the reply list the prefix belongs to
 * @param length tokens of the reply the prefix keeps, 0 .. the reply's length
 */
record ReplyPrefix(int reply, int length) {
  ReplyPrefix {
    if (reply < 0 || length < 0) {
      throw new IllegalArgumentException("reply " + reply + ", length " + length);
    }
  }

  /** Checks that every prefix fits its reply. */
  static void check(int[][] replies, ReplyPrefix[] prefixes) {
    for (ReplyPrefix p : prefixes) {
      if (p.reply >= replies.length || p.length > replies[p.reply].length) {
        throw new IllegalArgumentException(
            p
                + " does not fit "
                + replies.length
                + " replies (reply length "
                + (p.reply < replies.length ? replies[p.reply].length : -1)
                + ")");
      }
    }
  }
}
