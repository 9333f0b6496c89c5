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
      md.append("Reproduce:\n\n```bash\n")
          .append(facts.get("command").getAsString())
          .append("\n```\n\n");
    }
    md.append("Training facts (also in `training.json`):\n\n```json\n")
        .append(json)
        .append("\n```\n");
    Files.writeString(dir.resolve("README.md"), md.toString(), StandardCharsets.UTF_8);
  }
}
