package io.armguard.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real schema registry for tests: Apicurio Registry 3.3.3 (Maven Central tarball, unpacked into
 * {@code target/apicurio} by the build) started as a child process on 127.0.0.1 with a free port,
 * in-memory storage, serving the Confluent-compatible API at {@code /apis/ccompat/v7}. Apicurio
 * needs Java 21+: the newest JDK under /usr/lib/jvm (or {@code ARMGUARD_JAVA21_HOME}) is used; the
 * calling test is skipped, with the reason, when there is none or the distribution is absent.
 */
public final class ApicurioRegistry implements AutoCloseable {

  private final Process process;
  private final String url;

  private ApicurioRegistry(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /** Starts the registry, or skips the current test saying why it cannot. */
  public static ApicurioRegistry startOrSkip() throws IOException, InterruptedException {
    Path dist = distribution();
    Assumptions.assumeTrue(
        dist != null,
        "Apicurio distribution not found (run through `mvn verify`, which unpacks it to target/apicurio)");
    Optional<Path> java = java21();
    Assumptions.assumeTrue(
        java.isPresent(),
        "no Java 21+ runtime under /usr/lib/jvm or ARMGUARD_JAVA21_HOME: Apicurio 3.3.3 needs one");
    int port = FreePorts.next();
    ProcessBuilder pb =
        new ProcessBuilder(
            java.get().toString(),
            "-Xmx512m",
            "-Dquarkus.http.host=127.0.0.1",
            "-Dquarkus.http.port=" + port,
            "-Dquarkus.management.enabled=false",
            // The management interface is enabled at Apicurio's build time whatever the flag
            // above says, and binds *:9000 by default: give it a free loopback port too.
            "-Dquarkus.management.host=127.0.0.1",
            "-Dquarkus.management.port=" + FreePorts.next(),
            "-jar",
            dist.resolve("quarkus-run.jar").toString());
    pb.redirectErrorStream(true);
    Process process = pb.start();
    StringBuilder log = new StringBuilder();
    Thread drain =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  synchronized (log) {
                    if (log.length() < 20_000) {
                      log.append(line).append('\n');
                    }
                  }
                }
              } catch (IOException ignored) {
                // process ended
              }
            },
            "apicurio-log");
    drain.setDaemon(true);
    drain.start();
    String base = "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    ApicurioRegistry registry = new ApicurioRegistry(process, base);
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Apicurio exited early:\n" + log);
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/subjects")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return registry;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    registry.close();
    throw new IllegalStateException("Apicurio did not answer within 120 s:\n" + log);
  }

  /** Base URL of the Confluent-compatible API, for {@code schema.registry.url}. */
  public String url() {
    return url;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static Path distribution() {
    String dir = System.getProperty("armguard.apicurio.dir", "target/apicurio");
    try (Stream<Path> files = Files.walk(Paths.get(dir), 3)) {
      return files
          .filter(p -> p.getFileName().toString().equals("quarkus-run.jar"))
          .map(Path::getParent)
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * A Java 21+ launcher: ARMGUARD_JAVA21_HOME, the running JVM, or the newest under /usr/lib/jvm.
   */
  static Optional<Path> java21() {
    String home = System.getenv("ARMGUARD_JAVA21_HOME");
    if (home != null && Files.isExecutable(Paths.get(home, "bin", "java"))) {
      return Optional.of(Paths.get(home, "bin", "java"));
    }
    if (Runtime.version().feature() >= 21) {
      return Optional.of(Paths.get(System.getProperty("java.home"), "bin", "java"));
    }
    try (Stream<Path> jdks = Files.list(Paths.get("/usr/lib/jvm"))) {
      List<Path> candidates =
          jdks.filter(p -> Files.isExecutable(p.resolve("bin/java")))
              .filter(p -> featureVersion(p) >= 21)
              .toList();
      return candidates.stream().findFirst().map(p -> p.resolve("bin/java"));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int featureVersion(Path jdk) {
    try {
      for (String line : Files.readAllLines(jdk.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          return Integer.parseInt(v.split("[.]")[0]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
