package io.armguard.train;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code README.md} model card written next to every trained model, and {@code training.json}
 * with the same facts machine-readably: what it is, data, command, seed, steps, wall time, metrics.
 */
public final class ModelCard {
  private ModelCard() {}

  public static void write(Path dir, String title, String description, JsonObject facts)
      throws IOException {
    String json =
        new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(facts);
    Files.writeString(dir.resolve("training.json"), json + "\n", StandardCharsets.UTF_8);
    StringBuilder md = new StringBuilder();
    md.append("# ").append(title).append("\n\n").append(description).append("\n\n");
    if (facts.has("command")) {
      md.append("Reproduce:\n\n```bash\n");
      dataCommand(facts).ifPresent(c -> md.append(c).append("\n"));
      importCommand(facts).ifPresent(c -> md.append(c).append("\n"));
      md.append(facts.get("command").getAsString()).append("\n```\n\n");
    }
    md.append("Training facts (also in `training.json`):\n\n```json\n")
        .append(json)
        .append("\n```\n");
    Files.writeString(dir.resolve("README.md"), md.toString(), StandardCharsets.UTF_8);
  }

  /**
   * The commands that make the prepared data ({@code work-data}, not committed), when a setting
   * reads from it (a corpus, the gold set): the card must say how to make what it trained on.
   */
  static java.util.Optional<String> dataCommand(JsonObject facts) {
    if (!facts.has("settings")) {
      return java.util.Optional.empty();
    }
    for (var e : facts.getAsJsonObject("settings").entrySet()) {
      if (e.getValue().isJsonPrimitive()
          && e.getValue().getAsJsonPrimitive().isString()
          && java.util.Arrays.stream(e.getValue().getAsString().split(","))
              .anyMatch(v -> v.equals(PREPARED) || v.startsWith(PREPARED + "/"))) {
        return java.util.Optional.of("./armguard data fetch && ./armguard data prepare");
      }
    }
    return java.util.Optional.empty();
  }

  /** Where {@code armguard data prepare} writes by default. */
  private static final String PREPARED = "work-data";

  /**
   * The {@code armguard model import} command that makes the model's pretrained base, when its
   * settings name one ({@code init_from}) that was imported from a Maven artifact (the base's
   * {@code source.json}, written by the importer): the base itself is not committed, so the card
   * must say how to make it. Empty for models trained from scratch or from a non-imported base.
   */
  static java.util.Optional<String> importCommand(JsonObject facts) {
    if (!facts.has("settings") || !facts.getAsJsonObject("settings").has("init_from")) {
      return java.util.Optional.empty();
    }
    String base = facts.getAsJsonObject("settings").get("init_from").getAsString();
    Path source = Path.of(base).resolve("source.json");
    if (!Files.isRegularFile(source)) {
      return java.util.Optional.empty();
    }
    try {
      JsonObject s =
          com.google.gson.JsonParser.parseString(Files.readString(source)).getAsJsonObject();
      return s.has("artifact")
          ? java.util.Optional.of(
              "./armguard model import --artifact "
                  + s.get("artifact").getAsString()
                  + " --out "
                  + base)
          : java.util.Optional.empty();
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty(); // the card is still written; it just lacks the line
    }
  }
}
