package io.armguard.streams;

import io.armguard.decode.GuidedEngine;
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
  private static final long CLOSE_WAIT_SECONDS = 60;

  private final GuidedEngine engine;
  private final String name;
  private ExecutorService worker;

  /** A lane for {@code engine}; its worker thread, named {@code name}, starts on first use. */
  public DecodeLane(GuidedEngine engine, String name) {
    this.engine = engine;
    this.name = name;
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
   * engine.
   */
  @Override
  public synchronized void close() {
    if (worker != null) {
      worker.shutdownNow();
      try {
        if (!worker.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
          LOG.warn(
              "decode worker {} still busy after {} s; closing its engine anyway",
              name,
              CLOSE_WAIT_SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    engine.close();
  }
}
