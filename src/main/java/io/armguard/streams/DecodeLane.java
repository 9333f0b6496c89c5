package io.armguard.streams;

import io.armguard.decode.GuidedEngine;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream thread's decoding engine together with the one worker thread that decodes on it. The
 * micro-batch processor hands whole batches to the worker so that the stream thread goes on
 * polling, producing and committing while a batch decodes: Kafka's work overlaps the model's
 * instead of adding to it. One worker per engine keeps the engine single-threaded (it is not
 * thread-safe, like a DJL Predictor); batches of all tasks of the stream thread queue on it in
 * submission order.
 */
public final class DecodeLane implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DecodeLane.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(60);

  private final GuidedEngine engine;
  private final String name;
  private final Duration closeWait;
  private ExecutorService worker;

  /** A lane for {@code engine}; its worker thread, named {@code name}, starts on first use. */
  public DecodeLane(GuidedEngine engine, String name) {
    this(engine, name, CLOSE_WAIT);
  }

  /** As above, waiting {@code closeWait} in {@link #close()} for a running decode. */
  DecodeLane(GuidedEngine engine, String name, Duration closeWait) {
    this.engine = engine;
    this.name = name;
    this.closeWait = closeWait;
  }

  /** The engine; decode on it only from jobs passed to {@link #execute}. */
  public GuidedEngine engine() {
    return engine;
  }

  /** Queues {@code job} on the worker thread (started on first use). */
  public synchronized void execute(Runnable job) {
    if (worker == null) {
      worker =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
              });
    }
    worker.execute(job);
  }

  /**
   * Stops the worker after the batch it is decoding (queued batches are dropped: their requests are
   * still in the changelogged buffer, so whoever owns the task next decodes them), then closes the
   * engine. The engine's native memory is never freed under a running step (an interrupt does not
   * stop a libtorch op): if the decode outlasts the close wait, the engine is closed by a daemon
   * thread once the worker has finished, and this method returns.
   */
  @Override
  public synchronized void close() {
    if (worker == null) {
      engine.close();
      return;
    }
    ExecutorService w = worker;
    w.shutdownNow();
    try {
      if (w.awaitTermination(closeWait.toMillis(), TimeUnit.MILLISECONDS)) {
        engine.close();
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.warn(
        "decode worker {} still busy after {} ms; its engine is closed when the decode ends",
        name,
        closeWait.toMillis());
    Thread closer =
        new Thread(
            () -> {
              try {
                while (!w.awaitTermination(1, TimeUnit.MINUTES)) {
                  LOG.warn("decode worker {} still busy; engine kept open", name);
                }
                engine.close();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // process exit: the OS frees the memory
              }
            },
            name + "-closer");
    closer.setDaemon(true);
    closer.start();
  }
}
