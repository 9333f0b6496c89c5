package io.armguard.moderate;

import io.armguard.decode.DecodeRequest;
import io.armguard.decode.DecodeResult;
import io.armguard.decode.GuidanceStats;
import io.armguard.decode.GuidedEngine;
import io.armguard.decode.PrefixScores;
import io.armguard.decode.TextScoreRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TEST DOUBLE of {@link GuidedEngine} for moderation/processor/topology logic tests only: tokens
 * are whitespace-separated words, a prefix is toxic (score 0.9) once it contains a word of {@link
 * #TOXIC}, else 0.1. {@code generate} writes {@code " fine words"} continuations unless the prompt
 * contains {@link #ALWAYS_TOXIC}, then {@code " you idiot"}. Real-model tests use the real engine.
 */
public class WordListEngine implements GuidedEngine {

  public static final Set<String> TOXIC = Set.of("idiot", "stupid", "hate");
  public static final String ALWAYS_TOXIC = "ALWAYS_TOXIC";

  public final AtomicInteger generateCalls = new AtomicInteger();
  public final AtomicInteger scoreCalls = new AtomicInteger();
  public final List<Integer> generateBatchSizes = new ArrayList<>();
  public volatile boolean closed;

  @Override
  public List<DecodeResult> generate(List<DecodeRequest> batch) {
    generateCalls.incrementAndGet();
    generateBatchSizes.add(batch.size());
    List<DecodeResult> out = new ArrayList<>();
    for (DecodeRequest r : batch) {
      String text = r.prompt().contains(ALWAYS_TOXIC) ? " you idiot" : " fine words";
      String[] words = text.trim().split(" ");
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
  public List<PrefixScores> scorePrefixes(List<TextScoreRequest> batch) {
    scoreCalls.incrementAndGet();
    List<PrefixScores> out = new ArrayList<>();
    for (TextScoreRequest r : batch) {
      List<Integer> ends = new ArrayList<>();
      List<Float> steer = new ArrayList<>();
      boolean toxic = false;
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
        if (i == start) {
          break;
        }
        toxic |= TOXIC.contains(t.substring(wordStart, i).replaceAll("[^a-z]", ""));
        ends.add(i);
        steer.add(toxic ? 0.9f : 0.1f);
      }
      float[] s = new float[steer.size()];
      int[] e = new int[ends.size()];
      for (int k = 0; k < s.length; k++) {
        s[k] = steer.get(k);
        e[k] = ends.get(k);
      }
      float last = s.length == 0 ? 0f : s[s.length - 1];
      out.add(new PrefixScores(new int[s.length], e, s, Map.of("toxicity", last)));
    }
    return out;
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
