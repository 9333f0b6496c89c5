package io.armguard.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code data prepare} prints: its manifest as two short tables, the prepared files (rows,
 * toxic rows of the labelled ones, characters of the LM ones, how many sources fed each, sha256
 * prefix) and the source archives they came from (version, archive, sha256 prefix). The full hashes
 * and per-source counts stay in {@code manifest.json}. Stateless.
 */
final class ManifestTable {

  /** Enough of a sha256 to tell two files apart at a glance. */
  static final int SHA_PREFIX = 12;

  private ManifestTable() {}

  static List<String> lines(JsonObject manifest) {
    TextTable files = new TextTable("file", "rows", "toxic", "chars", "sources", "sha256");
    for (Map.Entry<String, JsonElement> e : manifest.getAsJsonObject("files").entrySet()) {
      JsonObject f = e.getValue().getAsJsonObject();
      files.row(
          e.getKey(),
          number(f, "lines"),
          number(f, "toxic"),
          number(f, "chars"),
          f.has("by_source") ? f.getAsJsonObject("by_source").size() : null,
          sha(f));
    }
    List<String> out = new ArrayList<>(files.lines());
    if (manifest.has("sources")) {
      TextTable sources = new TextTable("source", "version", "archive", "sha256");
      for (JsonElement s : manifest.getAsJsonArray("sources")) {
        JsonObject o = s.getAsJsonObject();
        sources.row(text(o, "name"), text(o, "version"), text(o, "archive"), sha(o));
      }
      out.add("");
      out.addAll(sources.lines());
    }
    return out;
  }

  private static String number(JsonObject o, String key) {
    return o.has(key) ? o.get(key).getAsBigDecimal().toPlainString() : null;
  }

  private static String text(JsonObject o, String key) {
    return o.has(key) ? o.get(key).getAsString() : null;
  }

  private static String sha(JsonObject o) {
    String sha = text(o, "sha256");
    return sha == null ? null : sha.substring(0, Math.min(SHA_PREFIX, sha.length()));
  }
}
