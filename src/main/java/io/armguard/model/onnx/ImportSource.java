package io.armguard.model.onnx;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where an imported model came from, written as {@code source.json} beside it (and summarised in
 * its README model card) so the weights can be traced and re-fetched.
 *
 * @param artifact Maven coordinates {@code group:artifact:version}, or the file name for a plain
 *     ONNX file
 * @param artifactSha256 SHA-256 (hex) of the jar or file as read
 * @param entry the ONNX file's path inside the jar, or its file name
 * @param onnxSha256 SHA-256 (hex) of the ONNX bytes
 * @param license the licence the artifact declares, or {@code unknown}
 * @param upstream the upstream model card / file reference the artifact names, or empty
 */
public record ImportSource(
    String artifact,
    String artifactSha256,
    String entry,
    String onnxSha256,
    String license,
    String upstream) {

  public static final String FILE = "source.json";

  /** Writes {@code source.json} into {@code dir}. */
  public void write(Path dir) throws IOException {
    JsonObject o = new JsonObject();
    o.addProperty("artifact", artifact);
    o.addProperty("artifact_sha256", artifactSha256);
    o.addProperty("onnx_entry", entry);
    o.addProperty("onnx_sha256", onnxSha256);
    o.addProperty("license", license);
    o.addProperty("upstream", upstream);
    o.addProperty("importer", "armguard model import (io.armguard.model.onnx.BertImporter)");
    String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o);
    Files.writeString(dir.resolve(FILE), json + "\n", StandardCharsets.UTF_8);
  }

  /** Reads {@code dir/source.json}, or returns null when the directory has none. */
  public static ImportSource read(Path dir) throws IOException {
    Path f = dir.resolve(FILE);
    if (!Files.exists(f)) {
      return null;
    }
    JsonObject o = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
    return new ImportSource(
        o.get("artifact").getAsString(),
        o.get("artifact_sha256").getAsString(),
        o.get("onnx_entry").getAsString(),
        o.get("onnx_sha256").getAsString(),
        o.get("license").getAsString(),
        o.has("upstream") ? o.get("upstream").getAsString() : "");
  }
}
