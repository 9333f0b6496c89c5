package io.armguard.data;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.json} of a prepared data set: seed, split fractions, per-file counts (by label
 * and by source), content hashes of every file and of every source archive. Holds no time stamp, so
 * the same sources and seed give a byte-identical manifest.
 */
public final class Manifest {
  private final JsonObject root = new JsonObject();
  private final JsonObject files = new JsonObject();
  private final JsonObject notes = new JsonObject();

  Manifest(long seed, double augmentRatio) {
    root.addProperty("seed", seed);
    JsonObject fractions = new JsonObject();
    fractions.addProperty("lm_heldout", DataPreparer.HELDOUT_FRACTION);
    fractions.addProperty("lm_valid", DataPreparer.VALID_FRACTION);
    fractions.addProperty("toxicity_reward", DataPreparer.REWARD_FRACTION);
    fractions.addProperty("toxicity_evaluator", DataPreparer.EVALUATOR_FRACTION);
    fractions.addProperty(
        "toxicity_valid", 1 - DataPreparer.REWARD_FRACTION - DataPreparer.EVALUATOR_FRACTION);
    fractions.addProperty("template_pairs_per_natural_positive", augmentRatio);
    root.add("fractions", fractions);
    root.add("files", files);
    root.add("notes", notes);
  }

  void note(String key, long value) {
    notes.addProperty(key, value);
  }

  void lm(String file, int documents, long chars, Map<String, Integer> bySource) {
    JsonObject o = new JsonObject();
    o.addProperty("documents", documents);
    o.addProperty("chars", chars);
    o.add("by_source", PreparedData.GSON.toJsonTree(bySource));
    files.add(file, o);
  }

  void labelled(String file, List<LabelledText> items) {
    JsonObject o = new JsonObject();
    Map<String, Integer> bySource = new TreeMap<>();
    int positives = 0;
    for (LabelledText t : items) {
      positives += t.label();
      bySource.merge(t.source(), 1, Integer::sum);
    }
    o.addProperty("items", items.size());
    o.addProperty("toxic", positives);
    o.addProperty("non_toxic", items.size() - positives);
    o.add("by_source", PreparedData.GSON.toJsonTree(bySource));
    files.add(file, o);
  }

  void sources(DataCache cache) throws IOException {
    JsonArray array = new JsonArray();
    for (PinnedSource s : PinnedSource.ALL) {
      JsonObject o = new JsonObject();
      o.addProperty("registry", s.registry().name().toLowerCase(java.util.Locale.ROOT));
      o.addProperty("name", s.name());
      o.addProperty("version", s.version());
      o.addProperty("role", s.role());
      o.addProperty("redistributable", s.redistributable());
      Path marker = cache.extracted(s).resolve(".fetched");
      if (Files.exists(marker)) {
        Path archive = cache.root().resolve(Files.readString(marker).trim());
        o.addProperty("archive", archive.getFileName().toString());
        if (Files.exists(archive)) {
          o.addProperty("sha256", sha256(archive));
        }
      }
      array.add(o);
    }
    root.add("sources", array);
  }

  /** Adds every prepared file's hash and line count, then writes {@code manifest.json}. */
  void write(Path out) throws IOException {
    for (String file : files.keySet()) {
      Path p = out.resolve(file);
      files.getAsJsonObject(file).addProperty("sha256", sha256(p));
      files.getAsJsonObject(file).addProperty("lines", PreparedData.readLines(p).size());
    }
    Files.writeString(
        out.resolve(PreparedData.MANIFEST),
        new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n",
        StandardCharsets.UTF_8);
  }

  public JsonObject json() {
    return root;
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
