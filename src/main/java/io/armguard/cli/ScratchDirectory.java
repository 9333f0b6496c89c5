package io.armguard.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A scratch directory that is deleted, with everything in it, on close. */
final class ScratchDirectory implements AutoCloseable {

  private final Path path;

  ScratchDirectory(String prefix) throws IOException {
    this.path = Files.createTempDirectory(prefix);
  }

  /** A fresh directory under {@code parent} (created if needed). */
  ScratchDirectory(Path parent, String prefix) throws IOException {
    this.path = Files.createTempDirectory(Files.createDirectories(parent), prefix);
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    try (Stream<Path> paths = Files.walk(path)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: it is a temp dir
    }
  }
}
