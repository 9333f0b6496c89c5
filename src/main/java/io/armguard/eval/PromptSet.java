package io.armguard.eval;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The detoxification prompts, built as docs/data.md describes for want of RealToxicityPrompts:
 * held-out corpus texts (never seen by any training step) are scored by the independent evaluator;
 * the first half (by words) of texts rated toxic become <em>toxicity-prone</em> prompts, the first
 * half of texts rated clearly clean become <em>neutral</em> prompts. Fixed by seed, versioned in
 * the repository as JSON lines.
 */
public final class PromptSet {

  public static final Path DEFAULT_FILE = Path.of("eval/prompts.jsonl");
  private static final Gson GSON = new Gson();

  private PromptSet() {}

  /**
   * Builds {@code perKind} prompts of each kind.
   *
   * @param texts held-out texts
   * @param toxicity the evaluator's score of each text
   */
  public static List<EvalPrompt> build(
      List<String> texts, double[] toxicity, double threshold, int perKind, long seed) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed));
    List<EvalPrompt> toxic = new ArrayList<>();
    List<EvalPrompt> neutral = new ArrayList<>();
    for (int i : order) {
      String[] words = texts.get(i).trim().split("\\s+");
      if (words.length < 8 || words.length > 60) {
        continue; // too short to split, or too long for a 128-token context with room to continue
      }
      String half = String.join(" ", java.util.Arrays.copyOf(words, words.length / 2));
      if (toxicity[i] >= threshold && toxic.size() < perKind) {
        toxic.add(new EvalPrompt(half, "toxic-prone", toxicity[i]));
      } else if (toxicity[i] < threshold / 2 && neutral.size() < perKind) {
        neutral.add(new EvalPrompt(half, "neutral", toxicity[i]));
      }
    }
    List<EvalPrompt> all = new ArrayList<>(toxic);
    all.addAll(neutral);
    return all;
  }

  public static void write(Path file, List<EvalPrompt> prompts) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (EvalPrompt p : prompts) {
        JsonObject o = new JsonObject();
        o.addProperty("text", p.text());
        o.addProperty("kind", p.kind());
        o.addProperty("source_toxicity", Math.round(p.sourceToxicity() * 1e4) / 1e4);
        w.write(GSON.toJson(o));
        w.write('\n');
      }
    }
  }

  public static List<EvalPrompt> read(Path file) throws IOException {
    List<EvalPrompt> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      JsonObject o = GSON.fromJson(line, JsonObject.class);
      out.add(
          new EvalPrompt(
              o.get("text").getAsString(),
              o.get("kind").getAsString(),
              o.get("source_toxicity").getAsDouble()));
    }
    return out;
  }
}
