package io.armguard.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Downloads the pinned sources with the registries' ordinary clients ({@code npm pack
 * NAME@VERSION}, {@code apt-get download NAME=VERSION}) and unpacks them ({@code tar}, {@code
 * dpkg-deb -x}) into a {@link DataCache}. Idempotent: a source whose extraction finished earlier is
 * skipped.
 */
public final class SourceFetcher {
  private static final String DONE_MARKER = ".fetched";
  private final DataCache cache;
  private final Consumer<String> log;

  public SourceFetcher(DataCache cache, Consumer<String> log) {
    this.cache = cache;
    this.log = log;
  }

  /** Fetches one source; returns the archive it came from. */
  public Path fetch(PinnedSource source) throws IOException, InterruptedException {
    Path target = cache.extracted(source);
    Path marker = target.resolve(DONE_MARKER);
    if (Files.exists(marker)) {
      Path archive = cache.root().resolve(Files.readString(marker).trim());
      log.accept("cached   " + source.name() + "@" + source.version());
      return archive;
    }
    Path archive =
        switch (source.registry()) {
          case NPM -> npmPack(source);
          case DEBIAN -> aptDownload(source);
        };
    deleteRecursively(target);
    Files.createDirectories(target);
    switch (source.registry()) {
      case NPM ->
          run(archive.getParent(), "tar", "-xzf", archive.toString(), "-C", target.toString());
      case DEBIAN ->
          run(archive.getParent(), "dpkg-deb", "-x", archive.toString(), target.toString());
    }
    Files.writeString(marker, cache.root().relativize(archive).toString());
    log.accept(
        "fetched  " + source.name() + "@" + source.version() + " -> " + archive.getFileName());
    return archive;
  }

  private Path npmPack(PinnedSource source) throws IOException, InterruptedException {
    Path dir = Files.createDirectories(cache.archives().resolve("npm"));
    List<String> out =
        run(
            dir,
            "npm",
            "pack",
            "--silent",
            source.name() + "@" + source.version(),
            "--pack-destination",
            dir.toString());
    String file = out.isEmpty() ? "" : out.get(out.size() - 1).trim();
    Path archive = dir.resolve(file);
    if (file.isEmpty() || !Files.isRegularFile(archive)) {
      throw new IOException("npm pack did not produce a tarball for " + source.name());
    }
    return archive;
  }

  private Path aptDownload(PinnedSource source) throws IOException, InterruptedException {
    Path dir = Files.createDirectories(cache.archives().resolve("deb"));
    run(dir, "apt-get", "download", "-q", source.name() + "=" + source.version());
    // apt names the file NAME_VERSION_ARCH.deb with ':' escaped as %3a
    String prefix = source.name() + "_" + source.version().replace(":", "%3a") + "_";
    try (DirectoryStream<Path> debs = Files.newDirectoryStream(dir, prefix + "*.deb")) {
      for (Path deb : debs) {
        return deb;
      }
    }
    throw new IOException("apt-get download did not produce " + prefix + "*.deb in " + dir);
  }

  private static List<String> run(Path dir, String... command)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command)
              + " failed:\n"
              + new String(output, StandardCharsets.UTF_8).strip());
    }
    return new ArrayList<>(new String(output, StandardCharsets.UTF_8).lines().toList());
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
