package io.armguard.data;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The de-duplication key of a text: lower case, accents folded, only letters and digits, single
 * spaces. Two texts with the same key are the same text for splitting and for the gold-set check.
 */
public final class TextKey {
  private TextKey() {}

  public static String of(String text) {
    return Normalizer.normalize(text, Normalizer.Form.NFKD)
        .replaceAll("\\p{M}+", "")
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N}]+", " ")
        .strip();
  }
}
