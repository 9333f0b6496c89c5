package io.armguard.streams;

import io.armguard.schema.GenerationRequest;
import java.time.Instant;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idempotency window: a request whose {@code request_id} was already seen within {@code
 * dedupe.window.ms} (wall clock) is dropped, counted ({@code armguard_duplicate_requests_total})
 * and logged at debug; exactly-once holds per record, this makes it hold per request id too. The
 * first copy is answered as usual; a re-sent copy gets no second completion or audit (the stored
 * answer is not re-emitted: consumers already have it, keyed by request id). Ids live in a
 * changelogged window store (key: request id, retention: the window), written in the same
 * transaction as the input offset, so the window survives crashes and rebalances. Requests without
 * an id and tombstones pass through to validation. Not thread-safe (one instance per task).
 */
final class DuplicateRequestFilter
    implements Processor<String, GenerationRequest, String, GenerationRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(DuplicateRequestFilter.class);

  private final String storeName;
  private final long windowMs;
  private final PipelineMetrics metrics;
  private final LongSupplier wallClock;
  private ProcessorContext<String, GenerationRequest> context;
  private WindowStore<String, Long> seen;

  DuplicateRequestFilter(
      String storeName, long windowMs, PipelineMetrics metrics, LongSupplier wallClock) {
    this.storeName = storeName;
    this.windowMs = windowMs;
    this.metrics = metrics;
    this.wallClock = wallClock;
  }

  @Override
  public void init(ProcessorContext<String, GenerationRequest> context) {
    this.context = context;
    this.seen = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, GenerationRequest> record) {
    GenerationRequest request = record.value();
    String id = request == null ? null : request.getRequestId();
    if (id == null || id.isEmpty()) {
      context.forward(record);
      return;
    }
    long now = wallClock.getAsLong();
    try (WindowStoreIterator<Long> it =
        seen.fetch(id, Instant.ofEpochMilli(now - windowMs), Instant.ofEpochMilli(now))) {
      if (it.hasNext()) {
        metrics.duplicateRequest();
        LOG.debug(
            "task {}: request {} already seen at {}; dropped",
            context.taskId(),
            id,
            Instant.ofEpochMilli(it.next().key));
        return;
      }
    }
    seen.put(id, now, now);
    context.forward(record);
  }
}
