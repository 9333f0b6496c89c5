package io.armguard.reward;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a reward model directory's {@code armguard.json} says about its head, next to the GPT-2
 * {@code config.json}:
 *
 * <pre>{@code
 * {"kind": "arm", "labels": ["toxicity", "insult"], "steering_label": "toxicity",
 *  "default_direction": "AWAY_FROM_LABEL", "base_model": "gpt2@1a2b3c4d5e6f"}
 * }</pre>
 *
 * @param kind RAD or ARM
 * @param labels output names, one per head row, in row order; non-empty, unique
 * @param steeringLabel the label whose score steers decoding (one of {@code labels})
 * @param defaultDirection {@code AWAY_FROM_LABEL} (detox: bonus beta * (1 - r)) or {@code
 *     TOWARD_LABEL} (bonus beta * r); requests may override it
 * @param baseModel free text naming the backbone the model was trained from (may be empty)
 * @param output how raw head outputs become scores in [0, 1] (key {@code output}; absent = clamp)
 */
public record RewardModelInfo(
    RewardKind kind,
    List<String> labels,
    String steeringLabel,
    String defaultDirection,
    String baseModel,
    ScoreOutput output) {

  /** A model whose raw outputs are clamped to [0, 1] (the MSE-trained models). */
  public RewardModelInfo(
      RewardKind kind,
      List<String> labels,
      String steeringLabel,
      String defaultDirection,
      String baseModel) {
    this(kind, labels, steeringLabel, defaultDirection, baseModel, ScoreOutput.CLAMP);
  }

  public static final String FILE = "armguard.json";

  /** The direction names {@code default_direction} accepts (io.armguard.decode's enum names). */
  public static final Set<String> DIRECTIONS = Set.of("AWAY_FROM_LABEL", "TOWARD_LABEL");

  public RewardModelInfo {
    labels = List.copyOf(labels);
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("a reward model needs at least one label");
    }
    if (new HashSet<>(labels).size() != labels.size()) {
      throw new IllegalArgumentException("duplicate label names: " + labels);
    }
    if (!labels.contains(steeringLabel)) {
      throw new IllegalArgumentException(
          "steering label '" + steeringLabel + "' is not one of the labels " + labels);
    }
    if (!DIRECTIONS.contains(defaultDirection)) {
      throw new IllegalArgumentException(
          "default direction '" + defaultDirection + "' is not one of " + DIRECTIONS);
    }
    baseModel = baseModel == null ? "" : baseModel;
    output = output == null ? ScoreOutput.CLAMP : output;
  }

  /** The same model description with another output rule (e.g. after calibration). */
  public RewardModelInfo withOutput(ScoreOutput newOutput) {
    return new RewardModelInfo(kind, labels, steeringLabel, defaultDirection, baseModel, newOutput);
  }

  /** A detoxification model: steers away from its first label. */
  public static RewardModelInfo detox(RewardKind kind, List<String> labels, String baseModel) {
    return new RewardModelInfo(kind, labels, labels.get(0), "AWAY_FROM_LABEL", baseModel);
  }

  /** Number of labels (head outputs). */
  public int labelCount() {
    return labels.size();
  }

  /** Row of the steering label in the head. */
  public int steeringIndex() {
    return labels.indexOf(steeringLabel);
  }

  /** Reads {@code dir/armguard.json}. */
  public static RewardModelInfo read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.exists(file)) {
      throw new NoSuchFileException(
          file.toString(), null, "not a reward model directory (no " + FILE + ")");
    }
    try {
      JsonObject o =
          JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
      List<String> labels = new ArrayList<>();
      for (JsonElement e : required(o, "labels", file).getAsJsonArray()) {
        labels.add(e.getAsString());
      }
      return new RewardModelInfo(
          RewardKind.parse(required(o, "kind", file).getAsString()),
          labels,
          o.has("steering_label") ? o.get("steering_label").getAsString() : labels.get(0),
          o.has("default_direction")
              ? o.get("default_direction").getAsString().toUpperCase(java.util.Locale.ROOT)
              : "AWAY_FROM_LABEL",
          o.has("base_model") ? o.get("base_model").getAsString() : "",
          o.has("output")
              ? ScoreOutput.fromJson(o.getAsJsonObject("output"), labels.size())
              : ScoreOutput.CLAMP);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code dir/armguard.json}. */
  public void write(Path dir) throws IOException {
    JsonObject o = new JsonObject();
    o.addProperty("kind", kind.jsonName());
    JsonArray l = new JsonArray();
    labels.forEach(l::add);
    o.add("labels", l);
    o.addProperty("steering_label", steeringLabel);
    o.addProperty("default_direction", defaultDirection);
    o.addProperty("base_model", baseModel);
    if (output.activation() != ScoreOutput.Activation.CLAMP) {
      o.add("output", output.toJson());
    }
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve(FILE),
        new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n",
        StandardCharsets.UTF_8);
  }

  private static JsonElement required(JsonObject o, String key, Path file) throws IOException {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      throw new IOException(file + ": missing key '" + key + "'");
    }
    return e;
  }
}
