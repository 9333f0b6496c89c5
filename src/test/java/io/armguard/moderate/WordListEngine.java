package io.armguard.moderate;

import io.armguard.decode.DecodeRequest;
import io.armguard.decode.DecodeResult;
import io.armguard.decode.GuidanceStats;
import io.armguard.decode.GuidedEngine;
import io.armguard.decode.PrefixScores;
import io.armguard.decode.Strategy;
import io.armguard.decode.TextScoreRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TEST DOUBLE of {@link GuidedEngine} for moderation/processor/topology logic tests only: tokens
 * are whitespace-separated words, a prefix is toxic (toxicity 0.9) once it contains a word of
 * {@link #TOXIC}, else 0.1; label {@code insult} is 0.8 once it contains a word of {@link #INSULTS}
 * (else 0.05). A context that contains a toxic word makes every prefix toxic, as a prompt-
 * conditioned model did (so a test can see whether the moderator sends the prompt). {@code
 * generate} writes {@code " fine words"} continuations unless the prompt contains {@link
 * #ALWAYS_TOXIC} ({@code " you idiot"}) or {@link #STUB} (nothing: an engine that ignored the
 * minimum length). Every generate request is recorded. Real-model tests use the real engine.
 */
public class WordListEngine implements GuidedEngine {

  public static final Set<String> TOXIC = Set.of("idiot", "stupid", "hate");
  public static final Set<String> INSULTS = Set.of("idiot", "stupid");
  public static final String ALWAYS_TOXIC = "ALWAYS_TOXIC";
  public static final String STUB = "STUB";

  public final AtomicInteger generateCalls = new AtomicInteger();
  public final AtomicInteger scoreCalls = new AtomicInteger();
  public final List<Integer> generateBatchSizes = new ArrayList<>();
  public final List<DecodeRequest> generateRequests = new ArrayList<>();
  public final List<TextScoreRequest> scoreRequests = new ArrayList<>();
  public volatile boolean closed;
  public volatile boolean radLoaded = true;

  @Override
  public synchronized List<DecodeResult> generate(List<DecodeRequest> batch) {
    generateCalls.incrementAndGet();
    generateBatchSizes.add(batch.size());
    generateRequests.addAll(batch);
    List<DecodeResult> out = new ArrayList<>();
    for (DecodeRequest r : batch) {
      if (!supports(r.strategy())) {
        throw new IllegalArgumentException("no reward model loaded for strategy " + r.strategy());
      }
      String text =
          r.prompt().contains(STUB)
              ? ""
              : r.prompt().contains(ALWAYS_TOXIC) ? " you idiot" : " fine words";
      String[] words = text.isEmpty() ? new String[0] : text.trim().split(" ");
      int n = Math.min(words.length, r.maxNewTokens());
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < n; i++) {
        sb.append(' ').append(words[i]);
      }
      out.add(
          new DecodeResult(
              r.id(),
              sb.toString(),
              new int[n],
              new float[n],
              countTokens(r.prompt()),
              new GuidanceStats(n, 1, 0.25)));
    }
    return out;
  }

  @Override
  public synchronized List<PrefixScores> scorePrefixes(List<TextScoreRequest> batch) {
    scoreCalls.incrementAndGet();
    scoreRequests.addAll(batch);
    List<PrefixScores> out = new ArrayList<>();
    for (TextScoreRequest r : batch) {
      List<Integer> ends = new ArrayList<>();
      List<Float> steer = new ArrayList<>();
      boolean toxic = hasWord(r.context(), TOXIC);
      boolean insult = false;
      String t = r.text();
      int i = 0;
      while (i < t.length()) {
        int start = i;
        while (i < t.length() && t.charAt(i) == ' ') {
          i++;
        }
        int wordStart = i;
        while (i < t.length() && t.charAt(i) != ' ') {
          i++;
        }
        if (i == start || i == wordStart) {
          break;
        }
        String word = t.substring(wordStart, i).replaceAll("[^a-z]", "");
        toxic |= TOXIC.contains(word);
        insult |= INSULTS.contains(word);
        ends.add(i);
        steer.add(toxic ? 0.9f : 0.1f);
      }
      float[] s = new float[steer.size()];
      int[] e = new int[ends.size()];
      for (int k = 0; k < s.length; k++) {
        s[k] = steer.get(k);
        e[k] = ends.get(k);
      }
      Map<String, Float> last = new LinkedHashMap<>();
      last.put("toxicity", s.length == 0 ? 0f : s[s.length - 1]);
      last.put("insult", s.length == 0 ? 0f : insult ? 0.8f : 0.05f);
      out.add(new PrefixScores(new int[s.length], e, s, last));
    }
    return out;
  }

  private static boolean hasWord(String text, Set<String> words) {
    for (String w : text.split("\\s+")) {
      if (words.contains(w.replaceAll("[^a-z]", ""))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean supports(Strategy strategy) {
    return strategy != Strategy.RAD || radLoaded;
  }

  @Override
  public List<String> labels() {
    return List.of("toxicity", "insult");
  }

  @Override
  public String steeringLabel() {
    return "toxicity";
  }

  @Override
  public int countTokens(String text) {
    String t = text.trim();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }

  @Override
  public int contextSize() {
    return 64;
  }

  @Override
  public String lmId() {
    return "wordlist-lm@test";
  }

  @Override
  public String rewardId() {
    return "wordlist-reward@test";
  }

  @Override
  public void close() {
    closed = true;
  }
}
