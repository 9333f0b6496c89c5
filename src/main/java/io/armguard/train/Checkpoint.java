package io.armguard.train;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A resumable checkpoint under {@code <out>/checkpoint/}: the model directory (F32) in {@code
 * model/}, the optimizer's moments in {@code optimizer.safetensors} and {@code state.json} (step,
 * the run's settings, metrics so far). Written to a temporary directory and renamed, so an
 * interrupted save never leaves a half checkpoint.
 */
public final class Checkpoint {
  static final String STATE = "state.json";
  private static final Gson GSON = new Gson();

  private final Path dir;

  public Checkpoint(Path outputDir) {
    this.dir = outputDir.resolve("checkpoint");
  }

  public Path modelDir() {
    return dir.resolve("model");
  }

  public Path optimizerFile() {
    return dir.resolve("optimizer.safetensors");
  }

  public boolean exists() {
    return Files.exists(dir.resolve(STATE));
  }

  public JsonObject state() throws IOException {
    return GSON.fromJson(Files.readString(dir.resolve(STATE)), JsonObject.class);
  }

  /** Writes a checkpoint: {@code writer} fills a fresh directory laid out like this one. */
  public void save(JsonObject state, Writer writer) throws IOException {
    Path tmp = dir.resolveSibling("checkpoint.tmp");
    deleteRecursively(tmp);
    Files.createDirectories(tmp);
    writer.write(tmp.resolve("model"), tmp.resolve("optimizer.safetensors"));
    Files.writeString(tmp.resolve(STATE), GSON.toJson(state), StandardCharsets.UTF_8);
    Path old = dir.resolveSibling("checkpoint.old");
    deleteRecursively(old);
    if (Files.exists(dir)) {
      Files.move(dir, old);
    }
    Files.move(tmp, dir);
    deleteRecursively(old);
  }

  public void delete() throws IOException {
    deleteRecursively(dir);
  }

  /** Fills a checkpoint directory. */
  @FunctionalInterface
  public interface Writer {
    void write(Path modelDir, Path optimizerFile) throws IOException;
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
