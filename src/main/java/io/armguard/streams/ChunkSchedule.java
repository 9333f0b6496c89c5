package io.armguard.streams;

import io.armguard.schema.ReplyChunk;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * When each chunk of one or more replies is due, played at a token rate: chunk {@code i} of a
 * stream is due when its stream has produced all tokens up to and including that chunk at {@code
 * tokensPerSecond} from the stream's start. Immutable; {@link #play} is used from one thread.
 */
public final class ChunkSchedule {

  /**
   * One chunk and when it is due.
   *
   * @param dueNanos nanos after the schedule's start
   */
  public record Event(long dueNanos, ReplyChunk chunk) {}

  private final List<Event> events;

  private ChunkSchedule(List<Event> events) {
    this.events = List.copyOf(events);
  }

  /**
   * The schedule of {@code streams}, stream {@code k} starting {@code startNanos.get(k)} after the
   * schedule's start, each at {@code tokensPerSecond}; events in due order (stable for ties).
   *
   * @param streams each stream's chunks in seq order
   */
  public static ChunkSchedule of(
      List<List<ReplyChunk>> streams, List<Long> startNanos, double tokensPerSecond) {
    if (!(tokensPerSecond > 0) || streams.size() != startNanos.size()) {
      throw new IllegalArgumentException(
          "need a positive token rate and one start per stream, got "
              + tokensPerSecond
              + " and "
              + startNanos.size()
              + " starts for "
              + streams.size()
              + " streams");
    }
    double nanosPerToken = 1e9 / tokensPerSecond;
    List<Event> out = new ArrayList<>();
    for (int k = 0; k < streams.size(); k++) {
      long tokens = 0;
      for (ReplyChunk c : streams.get(k)) {
        tokens += Math.max(1, ReplyChunker.tokens(c.getText()).size());
        out.add(new Event(startNanos.get(k) + Math.round(tokens * nanosPerToken), c));
      }
    }
    out.sort(Comparator.comparingLong(Event::dueNanos));
    return new ChunkSchedule(out);
  }

  /** The events in due order. */
  public List<Event> events() {
    return events;
  }

  /** Nanos after the start when the last chunk is due. */
  public long lengthNanos() {
    return events.isEmpty() ? 0 : events.get(events.size() - 1).dueNanos();
  }

  /**
   * Hands each chunk to {@code send} at its due time (parking in between: pacing, not waiting for a
   * condition), late ones at once; returns when the last was handed over or the thread was
   * interrupted.
   *
   * @return the {@link System#nanoTime} at the start
   */
  public long play(Consumer<ReplyChunk> send) {
    long start = System.nanoTime();
    for (Event e : events) {
      long wait;
      while ((wait = start + e.dueNanos() - System.nanoTime()) > 0) {
        if (Thread.currentThread().isInterrupted()) {
          return start;
        }
        LockSupport.parkNanos(wait);
      }
      send.accept(e.chunk());
    }
    return start;
  }
}
