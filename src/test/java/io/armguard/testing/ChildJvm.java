package io.armguard.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM on this test's class path, its output appended to a log file: the system tests'
 * broker and armguard processes. {@link #kill()} is SIGKILL, {@link #stop()} SIGTERM.
 */
public final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final Path log;

  private ChildJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code mainClass} with {@code jvmArgs} and {@code args}, output to {@code log}. */
  public static ChildJvm start(
      String mainClass, List<String> jvmArgs, List<String> args, Path log, Path workDir)
      throws IOException {
    return start(mainClass, jvmArgs, args, Map.of(), log, workDir);
  }

  /**
   * As {@link #start(String, List, List, Path, Path)}, with {@code env} added to (or replacing
   * variables of) this process's environment.
   */
  public static ChildJvm start(
      String mainClass,
      List<String> jvmArgs,
      List<String> args,
      Map<String, String> env,
      Path log,
      Path workDir)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    return startCommand(cmd, env, log, workDir);
  }

  /**
   * Runs {@code command} as it is (e.g. a launcher script that {@code exec}s java, so that its pid
   * is the JVM's), with {@code env} added to this process's environment, output to {@code log}.
   */
  public static ChildJvm startCommand(
      List<String> command, Map<String, String> env, Path log, Path workDir) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    pb.environment().put("DJL_OFFLINE", "true");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new ChildJvm(pb.start(), log);
  }

  /** The operating system's process id (for reading {@code /proc/PID}). */
  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits up to {@code seconds} for the process to end by itself; its exit code, or -1. */
  public int awaitExit(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  /** SIGKILL, and waits until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM; waits up to {@code seconds}, then SIGKILL. Returns whether it exited by itself. */
  public boolean stop(long seconds) throws InterruptedException {
    process.destroy();
    if (process.waitFor(seconds, TimeUnit.SECONDS)) {
      return true;
    }
    kill();
    return false;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
