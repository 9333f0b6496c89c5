package io.armguard.bench;

import io.armguard.schema.AuditRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One decoded batch of a pipeline round, rebuilt from its requests' audit records: the audits carry
 * each request's source offset, the batch's size and decode time, and (through the completion) the
 * wall-clock time the batch was forwarded.
 *
 * @param firstOffset the source offset of the batch's first request (with the partition, its key)
 * @param size requests in the batch
 * @param decodeMs the batch's decode time
 * @param forwardedMs when the batch's completions were forwarded (their record timestamp)
 */
public record BatchTiming(
    int partition, long firstOffset, int size, long decodeMs, long forwardedMs) {

  /** What one request's audit and completion say about its batch. */
  public record RequestTiming(
      int partition, long offset, int batchSize, long decodeMs, long forwardedMs) {

    /** The timing of the request an audit describes, forwarded at {@code forwardedMs}. */
    public static RequestTiming of(AuditRecord audit, long forwardedMs) {
      return new RequestTiming(
          audit.getSource() == null ? 0 : audit.getSource().getPartition(),
          audit.getSource() == null ? 0 : audit.getSource().getOffset(),
          audit.getTimings().getBatchSize(),
          audit.getTimings().getDecodeMs(),
          forwardedMs);
    }
  }

  /**
   * Groups requests into their batches: a partition's micro-batch holds consecutive requests of
   * that partition, which share the batch's size, decode time and forward time. A batch is closed
   * once it holds {@code batchSize} requests, so two batches that were forwarded in the same
   * millisecond with the same decode time stay two.
   *
   * @return the batches in forward order (ties: partition, then offset)
   */
  public static List<BatchTiming> group(List<RequestTiming> requests) {
    List<RequestTiming> sorted = new ArrayList<>(requests);
    sorted.sort(
        Comparator.comparingInt(RequestTiming::partition).thenComparingLong(RequestTiming::offset));
    List<BatchTiming> batches = new ArrayList<>();
    RequestTiming first = null;
    int members = 0;
    for (RequestTiming r : sorted) {
      boolean sameBatch =
          first != null
              && members < first.batchSize()
              && r.partition() == first.partition()
              && r.batchSize() == first.batchSize()
              && r.decodeMs() == first.decodeMs()
              && r.forwardedMs() == first.forwardedMs();
      if (!sameBatch) {
        if (first != null) {
          batches.add(of(first, members));
        }
        first = r;
        members = 0;
      }
      members++;
    }
    if (first != null) {
      batches.add(of(first, members));
    }
    batches.sort(
        Comparator.comparingLong(BatchTiming::forwardedMs)
            .thenComparingInt(BatchTiming::partition)
            .thenComparingLong(BatchTiming::firstOffset));
    return batches;
  }

  private static BatchTiming of(RequestTiming first, int members) {
    return new BatchTiming(
        first.partition(), first.offset(), members, first.decodeMs(), first.forwardedMs());
  }

  /** When the batch's decode started (forward time minus decode time). */
  public long decodeStartMs() {
    return forwardedMs - decodeMs;
  }
}
