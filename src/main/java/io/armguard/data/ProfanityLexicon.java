package io.armguard.data;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A profanity lexicon matched on whole words after obscenity-style normalisation: look-alike
 * accents folded, leetspeak resolved ({@code 4 @ -> a, 3 -> e, 1 ! | -> i, 0 -> o, 5 $ -> s, 7 ->
 * t}), separators inside a word removed ({@code f.u.c.k}), spelled-out letters joined ({@code f u c
 * k}) and repeated letters collapsed ({@code fuuuck}). Thread-safe and immutable.
 *
 * <p>Collapsing repeats alone would turn {@code butt} into {@code but}; like obscenity's custom
 * thresholds, a collapsed form only counts when the word really had a repeated letter, and the
 * plain normalised form must otherwise match exactly.
 */
public final class ProfanityLexicon {
  /**
   * cuss severity-2 entries that are common innocent words in our corpora (obscenity keeps a
   * whitelist for the same reason). Kept short and explicit.
   */
  static final Set<String> INNOCENT =
      Set.of(
          "chunky",
          "chug",
          "chugs",
          "bong",
          "flange",
          "dope",
          "cocky",
          "booty",
          "diddle",
          "eight ball",
          "eight balls",
          "beanbag",
          "beanbags",
          "ero",
          "fu",
          "dix",
          "bung",
          "evl",
          "carruth",
          "dahmer",
          "fatah",
          "floo",
          "bule",
          "bules",
          "cushi",
          "cushis",
          "forni",
          "footstar",
          "chunkies",
          "chunkys",
          "chonky",
          "chonkies",
          "chonkys",
          "clansman",
          "clansmen",
          "clanswoman",
          "clanswomen",
          "cohee",
          "dink",
          "dinks",
          "fok",
          "welfare",
          "swallow",
          "bobby",
          "spit",
          "breast",
          "tinker",
          "rapper",
          "sloppy",
          "popping",
          "bonnie",
          "kk",
          "rras",
          "vomit",
          "quickie",
          "slave",
          "penis",
          "poop",
          "pooping");

  private final Set<String> exact = new HashSet<>();
  private final Set<String> collapsed = new HashSet<>();
  private final int maxWords;

  private ProfanityLexicon(Iterable<String> terms) {
    int longest = 1;
    for (String term : terms) {
      List<String> words = normalizedTokens(term);
      if (words.isEmpty()) {
        continue;
      }
      exact.add(String.join(" ", words));
      collapsed.add(collapseRepeats(String.join(" ", words)));
      longest = Math.max(longest, words.size());
    }
    maxWords = longest;
  }

  /** The terms of a rated lexicon (cuss: term -> sureness 0/1/2) with sureness >= minSureness. */
  public static ProfanityLexicon fromRatings(Map<String, Integer> ratings, int minSureness) {
    return new ProfanityLexicon(selectTerms(ratings, minSureness));
  }

  /**
   * The terms with sureness >= minSureness, minus the {@link #INNOCENT} ones, sorted: what a
   * lexicon file shipped with a model holds.
   */
  public static List<String> selectTerms(Map<String, Integer> ratings, int minSureness) {
    List<String> terms = new ArrayList<>();
    ratings.forEach(
        (term, sureness) -> {
          if (sureness >= minSureness
              && !INNOCENT.contains(String.join(" ", normalizedTokens(term)))) {
            terms.add(term);
          }
        });
    terms.sort(null);
    return terms;
  }

  /** A lexicon of the given terms, as they are. */
  public static ProfanityLexicon of(Iterable<String> terms) {
    return new ProfanityLexicon(terms);
  }

  public int size() {
    return exact.size();
  }

  /** True when the text contains at least one lexicon term. */
  public boolean matches(String text) {
    return !find(text).isEmpty();
  }

  /** The lexicon terms found in the text (normalised spelling), in order of appearance. */
  public List<String> find(String text) {
    List<String> tokens = normalizedTokens(text);
    List<String> found = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      StringBuilder gram = new StringBuilder();
      for (int n = 0; n < maxWords && i + n < tokens.size(); n++) {
        if (n > 0) {
          gram.append(' ');
        }
        gram.append(tokens.get(i + n));
        String g = gram.toString();
        String c = collapseRepeats(g);
        if (exact.contains(g) || (hasRunOfThree(g) && collapsed.contains(c))) {
          found.add(g);
        }
      }
    }
    return found;
  }

  /**
   * Splits a text into normalised words: lower case, accents folded, leetspeak resolved inside
   * words, separators inside words removed, runs of single letters ("f u c k") joined.
   */
  public static List<String> normalizedTokens(String text) {
    String folded =
        Normalizer.normalize(text, Normalizer.Form.NFKD)
            .replaceAll("\\p{M}+", "")
            .toLowerCase(Locale.ROOT);
    List<String> words = new ArrayList<>();
    for (String raw : folded.split("[\\s,;:?\"\\[\\]{}<>()/]+")) {
      String w = normalizeWord(raw);
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    return joinSpelledOut(words);
  }

  /** Normalises one whitespace-free token; returns "" when nothing word-like is left. */
  public static String normalizeWord(String token) {
    String t = token.toLowerCase(Locale.ROOT);
    // trailing punctuation is punctuation, not leetspeak ("hell!" is not "helli")
    t = t.replaceAll("[.!?'\"*_-]+$", "");
    t = t.replaceAll("^[.!?'\"*_-]+", "");
    if (t.chars().noneMatch(Character::isLetter)) {
      return "";
    }
    StringBuilder out = new StringBuilder(t.length());
    for (char ch : t.toCharArray()) {
      char mapped = leet(ch);
      if (Character.isLetter(mapped)) {
        out.append(mapped);
      }
      // every other character inside a word is a separator: f.u.c.k, f-u-c-k, sh*t -> sht
    }
    return out.toString();
  }

  /** Collapses runs of a repeated letter: to two for b, e, o, l, s, g (ass, boob), else one. */
  static String collapseRepeats(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      run = i > 0 && ch == s.charAt(i - 1) ? run + 1 : 1;
      if (run <= ("beolsg".indexOf(ch) >= 0 ? 2 : 1)) {
        out.append(ch);
      }
    }
    return out.toString();
  }

  private static boolean hasRunOfThree(String s) {
    for (int i = 2; i < s.length(); i++) {
      if (s.charAt(i) == s.charAt(i - 1) && s.charAt(i) == s.charAt(i - 2)) {
        return true;
      }
    }
    return false;
  }

  private static char leet(char ch) {
    return switch (ch) {
      case '4', '@' -> 'a';
      case '3' -> 'e';
      case '6' -> 'g';
      case '1', '!', '|' -> 'i';
      case '0' -> 'o';
      case '5', '$' -> 's';
      case '7', '+' -> 't';
      case '2' -> 'z';
      default -> ch;
    };
  }

  /** "f u c k" -> "fuck": three or more consecutive one-letter tokens are one spelled-out word. */
  private static List<String> joinSpelledOut(List<String> words) {
    List<String> out = new ArrayList<>(words.size());
    int i = 0;
    while (i < words.size()) {
      int j = i;
      while (j < words.size() && words.get(j).length() == 1) {
        j++;
      }
      if (j - i >= 3) {
        out.add(String.join("", words.subList(i, j)));
        i = j;
      } else {
        out.add(words.get(i));
        i++;
      }
    }
    return out;
  }
}
