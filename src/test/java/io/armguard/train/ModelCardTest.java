package io.armguard.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCardTest {

  private static JsonObject facts(String initFrom) {
    JsonObject settings = new JsonObject();
    if (initFrom != null) {
      settings.addProperty("init_from", initFrom);
    }
    JsonObject facts = new JsonObject();
    facts.add("settings", settings);
    facts.addProperty("command", "./armguard train replies --kind arm --init-from " + initFrom);
    return facts;
  }

  @Test
  void theReproduceBlockStartsWithTheImportOfAnImportedBase(@TempDir Path dir) throws Exception {
    Path base = Files.createDirectories(dir.resolve("minilm"));
    Files.writeString(base.resolve("source.json"), "{\"artifact\": \"g:a:1.0\"}");
    Path out = Files.createDirectories(dir.resolve("out"));
    ModelCard.write(out, "t", "d", facts(base.toString()));
    String card = Files.readString(out.resolve("README.md"));
    String importLine = "./armguard model import --artifact g:a:1.0 --out " + base;
    assertTrue(card.contains(importLine + "\n./armguard train replies"), card);
  }

  @Test
  void noImportLineWithoutAnImportedBase(@TempDir Path dir) throws Exception {
    Path base = Files.createDirectories(dir.resolve("trained-here")); // no source.json
    Path out = Files.createDirectories(dir.resolve("out"));
    ModelCard.write(out, "t", "d", facts(base.toString()));
    assertFalse(Files.readString(out.resolve("README.md")).contains("model import"));
    ModelCard.write(out, "t", "d", facts(null));
    assertFalse(Files.readString(out.resolve("README.md")).contains("model import"));
  }

  @Test
  void theReproduceBlockPreparesTheDataWhenASettingReadsFromIt(@TempDir Path dir) throws Exception {
    JsonObject facts = facts(null);
    facts
        .getAsJsonObject("settings")
        .addProperty("distill_corpus", "work-data/lm/train.txt,work-data/toxicity/x.jsonl");
    Path out = Files.createDirectories(dir.resolve("out"));
    ModelCard.write(out, "t", "d", facts);
    assertTrue(
        Files.readString(out.resolve("README.md"))
            .contains(
                "```bash\n./armguard data fetch && ./armguard data prepare\n./armguard train"));
    JsonObject elsewhere = facts(null);
    elsewhere.getAsJsonObject("settings").addProperty("replies", "data/replies");
    elsewhere.getAsJsonObject("settings").addProperty("note", "not-work-data/x");
    ModelCard.write(out, "t", "d", elsewhere);
    assertFalse(Files.readString(out.resolve("README.md")).contains("data prepare"));
  }
}
