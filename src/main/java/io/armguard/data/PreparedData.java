package io.armguard.data;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files {@code data prepare} writes (default {@code ./work-data}) and readers for them. LM
 * files hold one document per line; toxicity files hold one JSON object per line: {@code {"text",
 * "label", "source"}}.
 */
public final class PreparedData {
  public static final String LM_TRAIN = "lm/train.txt";
  public static final String LM_VALID = "lm/valid.txt";

  /** Held-out documents: the pool evaluation prompts are drawn from; no model trains on them. */
  public static final String LM_HELDOUT = "lm/heldout.txt";

  /** Toxicity texts for the reward models (RAD, ARM). */
  public static final String TOX_REWARD_TRAIN = "toxicity/reward-train.jsonl";

  /** Toxicity texts for the independent evaluator: disjoint from {@link #TOX_REWARD_TRAIN}. */
  public static final String TOX_EVALUATOR_TRAIN = "toxicity/evaluator-train.jsonl";

  public static final String TOX_VALID = "toxicity/valid.jsonl";

  /** hubot-insulter insults (1) vs compliments (0): test only, never trained on. */
  public static final String GOLD = "gold/gold.jsonl";

  public static final String MANIFEST = "manifest.json";

  /** cuss terms of sureness 2 (minus look-alike innocents), one per line. */
  public static final String LEXICON = "lexicon/cuss-severity2.txt";

  /** Every file that some training step reads (the gold set must appear in none of them). */
  public static final List<String> TRAINING_FILES =
      List.of(LM_TRAIN, LM_VALID, TOX_REWARD_TRAIN, TOX_EVALUATOR_TRAIN, TOX_VALID);

  static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private PreparedData() {}

  public static List<String> readLines(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }

  public static List<LabelledText> readLabelled(Path file) throws IOException {
    List<LabelledText> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        JsonObject o = GSON.fromJson(line, JsonObject.class);
        out.add(
            new LabelledText(
                o.get("text").getAsString(),
                o.get("label").getAsInt(),
                o.has("source") ? o.get("source").getAsString() : ""));
      }
    }
    return out;
  }

  public static void writeLines(Path file, List<String> lines) throws IOException {
    Files.createDirectories(file.getParent());
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (String line : lines) {
        w.write(line);
        w.write('\n');
      }
    }
  }

  static void writeLabelled(Path file, List<LabelledText> items) throws IOException {
    List<String> lines = new ArrayList<>(items.size());
    for (LabelledText t : items) {
      JsonObject o = new JsonObject();
      o.addProperty("text", t.text());
      o.addProperty("label", t.label());
      o.addProperty("source", t.source());
      lines.add(GSON.toJson(o));
    }
    writeLines(file, lines);
  }
}
