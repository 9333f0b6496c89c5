package io.armguard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Samples another process's resident memory, open file descriptors and threads from {@code /proc}
 * (Linux) at a fixed interval on its own daemon thread, appending one line per sample to a file:
 * {@code epoch_seconds rss_kib fds threads}, the format of {@code eval/soak-*.txt}. A sample that
 * cannot be read (the process has gone) is skipped. {@link #samples()} may be called from any
 * thread; {@link #close()} stops sampling.
 */
public final class ProcessSampler implements AutoCloseable {

  /** One reading of a process. */
  public record Sample(long epochSecond, long rssKib, int fds, int threads) {

    /** The line written to the samples file. */
    public String line() {
      return epochSecond + " " + rssKib + " " + fds + " " + threads;
    }
  }

  private final long pid;
  private final Path file;
  private final List<Sample> samples = new ArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "process-sampler");
            t.setDaemon(true); // a failing test must not leave it running
            return t;
          });

  private ProcessSampler(long pid, Path file) {
    this.pid = pid;
    this.file = file;
  }

  /**
   * Starts sampling {@code pid} now and then every {@code every}, writing to {@code file} (created
   * or truncated, with a {@code #} header line).
   */
  public static ProcessSampler start(long pid, Duration every, Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(
        file,
        "# epoch_s rss_kib fds threads (pid " + pid + ", every " + every.toSeconds() + " s)\n",
        StandardCharsets.UTF_8);
    ProcessSampler s = new ProcessSampler(pid, file);
    s.timer.scheduleAtFixedRate(s::sampleQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return s;
  }

  /** Reads {@code /proc/PID/status} (VmRSS, Threads) and counts {@code /proc/PID/fd}. */
  public static Sample read(long pid) throws IOException {
    Path proc = Path.of("/proc", Long.toString(pid));
    long rss = -1;
    int threads = -1;
    for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.UTF_8)) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
      } else if (line.startsWith("Threads:")) {
        threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
      }
    }
    if (rss < 0 || threads < 0) {
      throw new IOException("no VmRSS/Threads in " + proc.resolve("status"));
    }
    int fds;
    try (Stream<Path> open = Files.list(proc.resolve("fd"))) {
      fds = (int) open.count();
    }
    return new Sample(System.currentTimeMillis() / 1000, rss, fds, threads);
  }

  private void sampleQuietly() {
    try {
      Sample s = read(pid);
      Files.writeString(file, s.line() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      synchronized (samples) {
        samples.add(s);
        samples.notifyAll(); // wakes awaitSamples
      }
    } catch (IOException | UncheckedIOException e) {
      // the process has exited or is exiting: nothing to sample
    }
  }

  /** The samples taken so far, oldest first. */
  public List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /**
   * Blocks until at least {@code n} samples were taken or {@code timeout} passed.
   *
   * @return whether there are {@code n} samples
   */
  public boolean awaitSamples(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (samples) {
      while (samples.size() < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(samples, left);
      }
      return true;
    }
  }

  /** Stops sampling (an interval in progress finishes first). */
  @Override
  public void close() throws InterruptedException {
    timer.shutdown();
    timer.awaitTermination(10, TimeUnit.SECONDS);
  }
}
