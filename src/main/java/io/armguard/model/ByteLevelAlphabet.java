package io.armguard.model;

/**
 * GPT-2's reversible map from bytes to printable characters ({@code bytes_to_unicode} in OpenAI's
 * encoder.py), which byte-level BPE vocabularies use to spell tokens.
 */
final class ByteLevelAlphabet {

  private static final char[] BYTE_TO_CHAR = build();

  private ByteLevelAlphabet() {}

  private static char[] build() {
    char[] map = new char[256];
    boolean[] printable = new boolean[256];
    for (int b = '!'; b <= '~'; b++) {
      printable[b] = true;
    }
    for (int b = 0xA1; b <= 0xAC; b++) {
      printable[b] = true;
    }
    for (int b = 0xAE; b <= 0xFF; b++) {
      printable[b] = true;
    }
    int next = 0;
    for (int b = 0; b < 256; b++) {
      map[b] = printable[b] ? (char) b : (char) (256 + next++);
    }
    return map;
  }

  /** Spells raw token bytes (given one byte per char, ISO-8859-1) in the byte-level alphabet. */
  static String spell(String latin1Bytes) {
    StringBuilder sb = new StringBuilder(latin1Bytes.length());
    for (int i = 0; i < latin1Bytes.length(); i++) {
      sb.append(BYTE_TO_CHAR[latin1Bytes.charAt(i) & 0xff]);
    }
    return sb.toString();
  }
}
