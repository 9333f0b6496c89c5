package io.armguard.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Layout of the download cache written by {@code data fetch}: {@code archives/} holds the raw npm
 * tarballs and .deb files, {@code extracted/<name@version>/} their unpacked contents.
 */
public final class DataCache {
  private final Path root;

  public DataCache(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  public Path archives() {
    return root.resolve("archives");
  }

  public Path extracted(PinnedSource source) {
    return root.resolve("extracted").resolve(source.directoryName());
  }

  /** Root of an npm package's files ({@code package/} inside the tarball). */
  public Path npmPackage(String name) {
    return existing(extracted(PinnedSource.named(name)).resolve("package"), name);
  }

  /** Root of a Debian package's unpacked file system. */
  public Path debianPackage(String name) {
    return existing(extracted(PinnedSource.named(name)), name);
  }

  private static Path existing(Path path, String name) {
    if (!Files.isDirectory(path)) {
      throw new UncheckedIOException(
          new IOException(
              "source " + name + " is not in the cache (" + path + "): run ./armguard data fetch"));
    }
    return path;
  }
}
