package io.armguard.streams;

import io.armguard.schema.BufferedRequest;
import java.time.Instant;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's buffered requests: the changelogged store (durable until the answer is committed) and
 * the in-memory queue of those not yet handed to a decoder, keyed by a per-task sequence. Shared by
 * both batch processors ({@link MicroBatchProcessor}, {@link ScheduledBatchProcessor}). One per
 * processor incarnation; used from its stream thread only.
 */
final class RequestBuffer {
  private static final Logger LOG = LoggerFactory.getLogger(RequestBuffer.class);

  private final KeyValueStore<Long, BufferedRequest> store;
  private final NavigableMap<Long, BufferedRequest> waiting = new TreeMap<>();
  private long nextSequence;

  RequestBuffer(KeyValueStore<Long, BufferedRequest> store) {
    this.store = store;
  }

  /**
   * After a (re)start the store may hold requests buffered before the crash: queue them again, in
   * sequence order, and continue the sequence after the highest.
   */
  void recover(TaskId task) {
    waiting.clear();
    nextSequence = 0;
    try (KeyValueIterator<Long, BufferedRequest> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<Long, BufferedRequest> kv = it.next();
        waiting.put(kv.key, kv.value);
        nextSequence = Math.max(nextSequence, kv.key + 1);
      }
    }
    if (!waiting.isEmpty()) {
      LOG.info("task {}: {} buffered requests recovered from the store", task, waiting.size());
    }
  }

  /** Stamps a new request (enqueued at {@code nowMs}, next sequence), stores and queues it. */
  void add(BufferedRequest value, long nowMs) {
    value.setEnqueuedAt(Instant.ofEpochMilli(nowMs));
    value.setSequence(nextSequence);
    store.put(nextSequence, value);
    waiting.put(nextSequence++, value);
  }

  /** The queued requests, oldest first (callers take from it as they hand requests on). */
  NavigableMap<Long, BufferedRequest> waiting() {
    return waiting;
  }
}
