package io.armguard.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where commands may write. Defaults go under the run directory {@value #RUN_DIR}/ (ignored by
 * git), never into {@code models/}, {@code eval/} or {@code topologies/}; writing over an existing
 * model directory, or over an existing file outside the run directory, needs {@code --force}.
 * Checked before any work starts, so a refused command has changed nothing. Stateless.
 */
final class OutputGuard {

  /** The scratch directory of command outputs, relative to the working directory. */
  static final String RUN_DIR = "runs";

  /** Files that make a directory a model directory (a checkpoint alone is resumable work). */
  private static final List<String> MODEL_FILES =
      List.of("config.json", "armguard.json", "model.safetensors", "tokenizer.json", "judge.json");

  private OutputGuard() {}

  /** {@code --force}: the mixin of every command that writes a model or a file. */
  static final class Force {
    @Option(
        names = "--force",
        description = "overwrite an existing model directory or file outside " + RUN_DIR + "/")
    boolean force;
  }

  /** A default output path: {@value #RUN_DIR}/{@code command}/{@code name}. */
  static Path runPath(String command, String name) {
    return Path.of(RUN_DIR, command, name);
  }

  /**
   * {@code dir} if a model may be written there: it does not exist, holds no model (a checkpoint
   * alone is resumed), or {@code force} is set.
   *
   * @throws IllegalArgumentException naming the directory and what to do
   */
  static Path modelDirectory(Path dir, boolean force) {
    if (force || !Files.exists(dir)) {
      return dir;
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          dir + " exists and is not a directory; choose another --out");
    }
    for (String f : MODEL_FILES) {
      if (Files.exists(dir.resolve(f))) {
        throw new IllegalArgumentException(
            "refusing to overwrite the model in "
                + dir
                + " ("
                + f
                + " exists); choose another --out, or pass --force to replace it");
      }
    }
    return dir;
  }

  /**
   * {@code file} if it may be written: it does not exist, lies under the run directory, or {@code
   * force} is set. Creates its parent directory.
   *
   * @throws IllegalArgumentException naming the file and what to do
   */
  static Path file(Path file, boolean force) throws IOException {
    if (Files.exists(file) && !force && !underRunDir(file)) {
      throw new IllegalArgumentException(
          "refusing to overwrite "
              + file
              + "; choose another output, or pass --force to replace it");
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return file;
  }

  private static boolean underRunDir(Path file) {
    return file.toAbsolutePath()
        .normalize()
        .startsWith(Path.of(RUN_DIR).toAbsolutePath().normalize());
  }
}
