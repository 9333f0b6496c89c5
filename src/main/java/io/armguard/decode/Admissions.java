package io.armguard.decode;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The thread-safe intake of a {@link ContinuousDecoding}: rows admitted from any thread and not yet
 * taken by the decode thread, the count of rows admitted and not yet told their outcome, and the
 * step statistics. Once closed it takes nothing more, also from an admission racing the close.
 *
 * @param <R> the decoder's row
 */
final class Admissions<R> {

  private final Queue<R> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong steps = new AtomicLong();
  private final AtomicLong rowSteps = new AtomicLong();
  private volatile boolean closed;

  /**
   * Queues a row for the decode thread.
   *
   * @throws IllegalStateException once closed
   */
  void add(R row) {
    if (closed) {
      throw new IllegalStateException("the continuous decoder is closed");
    }
    open.incrementAndGet();
    queue.add(row);
    if (closed && queue.remove(row)) { // close() may have drained the queue before the add
      open.decrementAndGet();
      throw new IllegalStateException("the continuous decoder is closed");
    }
  }

  /** The next admitted row, or null. */
  R poll() {
    return queue.poll();
  }

  /** The next admitted row without taking it, or null. */
  R peek() {
    return queue.peek();
  }

  /** Rows admitted and not yet taken (a count over the queue: call it once per iteration). */
  int waiting() {
    return queue.size();
  }

  /** One row was told its outcome. */
  void told() {
    open.decrementAndGet();
  }

  /** Rows admitted and not yet told. */
  int rows() {
    return open.get();
  }

  /** One token step (or whole-batch call) over {@code rows} rows ran. */
  void stepped(int rows) {
    steps.incrementAndGet();
    rowSteps.addAndGet(rows);
  }

  ContinuousDecoding.Stats stats() {
    return new ContinuousDecoding.Stats(steps.get(), rowSteps.get());
  }

  /** Takes no more rows; returns those still queued (the caller tells them). */
  List<R> close() {
    closed = true;
    List<R> left = new ArrayList<>();
    R r;
    while ((r = queue.poll()) != null) {
      left.add(r);
    }
    return left;
  }
}
