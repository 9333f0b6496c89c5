package io.armguard.data;

/**
 * A text with a binary toxicity label (1 = toxic) and where the label came from.
 *
 * @param text the text, one line
 * @param label 1 toxic, 0 not toxic
 * @param source provenance, e.g. {@code one-liner-joke:tags}, {@code nlp-corpus:lexicon}, {@code
 *     template:insult}
 */
public record LabelledText(String text, int label, String source) {
  public LabelledText {
    if (label != 0 && label != 1) {
      throw new IllegalArgumentException("label must be 0 or 1: " + label);
    }
  }
}
