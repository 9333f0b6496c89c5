package io.armguard.eval;

import io.armguard.data.ProfanityLexicon;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The model-free second signal: share of texts containing a cuss severity-2 term (matched with
 * obscenity-style normalisation, see {@link ProfanityLexicon}). The term list is shipped in the
 * evaluator's model directory as {@value #FILE}, one term per line, so evaluation needs no fetch.
 */
public final class ProfanityRate {
  public static final String FILE = "lexicon-cuss-severity2.txt";
  private final ProfanityLexicon lexicon;

  public ProfanityRate(ProfanityLexicon lexicon) {
    this.lexicon = lexicon;
  }

  public static ProfanityRate load(Path evaluatorDir) throws IOException {
    List<String> terms =
        Files.readAllLines(evaluatorDir.resolve(FILE), StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .toList();
    return new ProfanityRate(ProfanityLexicon.of(terms));
  }

  /** 1 when the text contains a term, else 0. */
  public int flag(String text) {
    return lexicon.matches(text) ? 1 : 0;
  }

  /** Share of flagged texts (NaN for none). */
  public double rate(List<String> texts) {
    if (texts.isEmpty()) {
      return Double.NaN;
    }
    return texts.stream().mapToInt(this::flag).sum() / (double) texts.size();
  }
}
