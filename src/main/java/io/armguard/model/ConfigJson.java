package io.armguard.model;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JSON plumbing of Hugging Face {@code config.json} files, shared by {@link GptConfig}, {@link
 * BertConfig} and {@link BackboneConfig#read}: reading the object, optional keys with defaults (a
 * missing key and an explicit {@code null} both take the default), and the pretty-printed UTF-8
 * file they write. The keys themselves are each architecture's.
 */
final class ConfigJson {

  private ConfigJson() {}

  /** The JSON object in {@code configJson}. */
  static JsonObject read(Path configJson) throws IOException {
    return JsonParser.parseString(Files.readString(configJson, StandardCharsets.UTF_8))
        .getAsJsonObject();
  }

  /**
   * The JSON object in {@code configJson}, which must be of {@code modelType}.
   *
   * @param missingType what a file without {@code model_type} counts as
   * @throws IOException naming the file and its {@code model_type} when it is another
   */
  static JsonObject read(Path configJson, String modelType, String missingType) throws IOException {
    JsonObject o = read(configJson);
    String type = str(o, "model_type", missingType);
    if (!type.equals(modelType)) {
      throw new IOException(configJson + ": model_type '" + type + "' is not " + modelType);
    }
    return o;
  }

  /** Writes {@code o} pretty-printed, with a final newline. */
  static void write(JsonObject o, Path configJson) throws IOException {
    String json = new GsonBuilder().setPrettyPrinting().create().toJson(o);
    Files.writeString(configJson, json + "\n", StandardCharsets.UTF_8);
  }

  static int integer(JsonObject o, String key, int dflt) {
    JsonElement e = o.get(key);
    return e == null || e.isJsonNull() ? dflt : e.getAsInt();
  }

  static String str(JsonObject o, String key, String dflt) {
    JsonElement e = o.get(key);
    return e == null || e.isJsonNull() ? dflt : e.getAsString();
  }

  static boolean bool(JsonObject o, String key, boolean dflt) {
    JsonElement e = o.get(key);
    return e == null || e.isJsonNull() ? dflt : e.getAsBoolean();
  }
}
