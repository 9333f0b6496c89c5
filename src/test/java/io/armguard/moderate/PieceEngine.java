package io.armguard.moderate;

import io.armguard.decode.PrefixScores;
import io.armguard.decode.TextScoreRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TEST DOUBLE: {@link WordListEngine} with sub-word tokens: every word is cut into pieces of at
 * most three chars (the first piece carries the whitespace before the word), so a word spans
 * several tokens and a chunk can end inside a token. A prefix is toxic (0.9) once it holds a whole
 * word of {@link WordListEngine#TOXIC} (the word at the prefix's end counts as whole), else 0.1:
 * the flagged token is the toxic word's last piece, some tokens after the word's boundary.
 */
class PieceEngine extends WordListEngine {

  static final int PIECE = 3;

  @Override
  public synchronized List<PrefixScores> scorePrefixes(List<TextScoreRequest> batch) {
    List<PrefixScores> out = new ArrayList<>();
    for (TextScoreRequest r : batch) {
      String t = r.text();
      List<Integer> ends = new ArrayList<>();
      List<Float> steer = new ArrayList<>();
      boolean toxic = false;
      int i = 0;
      while (i < t.length()) {
        while (i < t.length() && Character.isWhitespace(t.charAt(i))) {
          i++;
        }
        int wordStart = i;
        while (i < t.length() && !Character.isWhitespace(t.charAt(i))) {
          i++;
        }
        for (int p = wordStart; p < i; p += PIECE) {
          int end = Math.min(i, p + PIECE);
          String soFar = t.substring(wordStart, end).replaceAll("[^a-z]", "");
          toxic |= TOXIC.contains(soFar);
          ends.add(end);
          steer.add(toxic ? 0.9f : 0.1f);
        }
      }
      float[] s = new float[steer.size()];
      int[] e = new int[ends.size()];
      for (int k = 0; k < s.length; k++) {
        s[k] = steer.get(k);
        e[k] = ends.get(k);
      }
      Map<String, Float> last = new LinkedHashMap<>();
      last.put("toxicity", s.length == 0 ? 0f : s[s.length - 1]);
      last.put("insult", 0.05f);
      out.add(new PrefixScores(new int[s.length], e, s, last));
    }
    return out;
  }
}
