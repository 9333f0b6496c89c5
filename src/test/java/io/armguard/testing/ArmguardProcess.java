package io.armguard.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code armguard run} as its own JVM, as an operator starts it: a properties file, its own state
 * directory and instance id, {@code /ready} on a free loopback port. {@link #kill()} is SIGKILL;
 * {@link #start()} again reuses the state directory and id, as a restarted pod would. By default
 * the JVM is started directly on the test's class path; {@link #viaLauncher()} starts it through
 * the project's {@code ./armguard} script instead, with the launcher's JVM and allocator settings.
 */
public final class ArmguardProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path dir;
  private final String instanceId;
  private final int httpPort;
  private final Path config;
  private final Map<String, String> env;
  private boolean launcher;
  private ChildJvm jvm;

  /**
   * Writes the configuration ({@code settings} plus instance id, state dir and http port) and the
   * directory, without starting.
   */
  public ArmguardProcess(Path dir, String instanceId, Map<String, String> settings)
      throws IOException {
    this(dir, instanceId, settings, FreePorts.next());
  }

  private ArmguardProcess(Path dir, String instanceId, Map<String, String> settings, int httpPort)
      throws IOException {
    this(dir, instanceId, httpPort, writeConfig(dir, instanceId, httpPort, settings), Map.of());
  }

  private ArmguardProcess(
      Path dir, String instanceId, int httpPort, Path config, Map<String, String> env) {
    this.dir = dir;
    this.instanceId = instanceId;
    this.httpPort = httpPort;
    this.config = config;
    this.env = Map.copyOf(env);
  }

  /**
   * {@code armguard run --config configFile} with the file as it is (a shipped sample) and {@code
   * env} as the process environment's additions, the way an operator supplies secrets and
   * per-instance settings: instance id, state dir (under {@code dir}) and a free http port are
   * added as {@code ARMGUARD_INSTANCE_ID}, {@code ARMGUARD_STATE_DIR}, {@code ARMGUARD_HTTP_PORT}.
   * Not started.
   */
  public static ArmguardProcess withConfigFile(
      Path dir, String instanceId, Path configFile, Map<String, String> env) throws IOException {
    Files.createDirectories(dir);
    int port = FreePorts.next();
    Map<String, String> all = new LinkedHashMap<>(env);
    all.put("ARMGUARD_INSTANCE_ID", instanceId);
    all.put("ARMGUARD_STATE_DIR", dir.resolve("state").toString());
    all.put("ARMGUARD_HTTP_PORT", Integer.toString(port));
    return new ArmguardProcess(dir, instanceId, port, configFile.toAbsolutePath(), all);
  }

  private static Path writeConfig(
      Path dir, String instanceId, int httpPort, Map<String, String> settings) throws IOException {
    Files.createDirectories(dir);
    Map<String, String> all = new LinkedHashMap<>(settings);
    all.put("instance.id", instanceId);
    all.put("state.dir", dir.resolve("state").toString());
    all.put("http.port", Integer.toString(httpPort));
    Path config = dir.resolve("armguard.properties");
    Files.writeString(
        config,
        all.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
                .collect(Collectors.joining("\n"))
            + "\n",
        StandardCharsets.UTF_8);
    return config;
  }

  /**
   * Makes {@link #start()} run {@code ./armguard run --config FILE}, the command an operator runs:
   * the launcher's heap ({@code ARMGUARD_JAVA_OPTS}, {@code -Xmx4g} by default), malloc tunables
   * and runtime class path ({@code target/classes} and {@code target/classpath.txt}). The script
   * {@code exec}s java, so {@link #pid()} is the service JVM's.
   *
   * @throws IllegalStateException if the launcher has not built its class path yet (it would run
   *     Maven inside the test): run {@code ./armguard --help} once first
   */
  public ArmguardProcess viaLauncher() {
    Path root = Path.of("").toAbsolutePath();
    if (!Files.exists(root.resolve("target/.armguard-built"))
        || !Files.exists(root.resolve("target/classpath.txt"))) {
      throw new IllegalStateException(
          "./armguard has not built its class path (target/classpath.txt): run ./armguard --help"
              + " once before this test");
    }
    launcher = true;
    return this;
  }

  /** Starts the JVM (working directory: the project, so relative model paths resolve). */
  public ArmguardProcess start() throws IOException {
    if (launcher) {
      Path root = Path.of("").toAbsolutePath();
      jvm =
          ChildJvm.startCommand(
              List.of(root.resolve("armguard").toString(), "run", "--config", config.toString()),
              env,
              dir.resolve("armguard.log"),
              root);
      return this;
    }
    jvm =
        ChildJvm.start(
            "io.armguard.cli.Main",
            List.of("-Xmx768m", "-Dai.djl.offline=true"),
            List.of("run", "--config", config.toString()),
            env,
            dir.resolve("armguard.log"),
            Path.of("").toAbsolutePath());
    return this;
  }

  /** Waits up to {@code seconds} for the process to end by itself; its exit code, or -1. */
  public int awaitExit(long seconds) throws InterruptedException {
    return jvm.awaitExit(seconds);
  }

  /** The running JVM's process id. */
  public long pid() {
    return jvm.pid();
  }

  public String instanceId() {
    return instanceId;
  }

  public Path log() {
    return dir.resolve("armguard.log");
  }

  /** SIGKILL: no shutdown hook, no leave-group, no commit. */
  public void kill() throws InterruptedException {
    jvm.kill();
  }

  /** SIGTERM, the clean shutdown; returns how long it took. */
  public Duration stop() throws InterruptedException {
    long t0 = System.nanoTime();
    jvm.stop(60);
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  /** The HTTP status and body of {@code /ready}, or 0 and the error when nothing answers. */
  public Answer ready() {
    return get("/ready");
  }

  /** The HTTP status and body of {@code /health} (liveness). */
  public Answer health() {
    return get("/health");
  }

  private Answer get(String path) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      return new Answer(0, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, "interrupted");
    }
  }

  /**
   * An answer of {@code /ready}.
   *
   * @param status HTTP status, 0 when nothing answered
   * @param body the response body or the error
   */
  public record Answer(int status, String body) {}

  /** Polls {@code /ready} until 200; returns how long that took. */
  public Duration awaitReady(Duration timeout) throws InterruptedException {
    long t0 = System.nanoTime();
    awaitReadiness(a -> a.status() == 200, timeout, "ready");
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  /**
   * Polls {@code /ready} (every 100 ms, as a readiness probe does: the endpoint offers nothing to
   * wait on) until {@code done} accepts its answer; returns that answer.
   *
   * @param what names the awaited state in the failure message
   * @throws IllegalStateException if the JVM exits or the timeout passes first
   */
  public Answer awaitReadiness(
      java.util.function.Predicate<Answer> done, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Answer last = null;
    while (System.nanoTime() < deadline) {
      if (!jvm.isAlive()) {
        throw new IllegalStateException(instanceId + " exited; see " + log());
      }
      last = ready();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(100); // the probe's polling interval
    }
    throw new IllegalStateException(
        instanceId + " not " + what + " within " + timeout + ": " + last + "; see " + log());
  }

  @Override
  public void close() throws InterruptedException {
    if (jvm != null) {
      jvm.close();
    }
  }
}
