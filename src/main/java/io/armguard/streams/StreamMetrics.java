package io.armguard.streams;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * Meters of streamed replies: input chunks by outcome ({@code armguard_stream_chunks_total}),
 * released chunks ({@code armguard_stream_released_chunks_total{final}}) and ended streams by
 * action and end reason ({@code armguard_streams_closed_total}). Thread-safe.
 */
final class StreamMetrics {

  private final MeterRegistry registry;

  StreamMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void chunk(ChunkSequencer.Outcome outcome) {
    registry
        .counter("armguard.stream.chunks", "outcome", outcome.name().toLowerCase(Locale.ROOT))
        .increment();
  }

  void released(boolean last) {
    registry
        .counter("armguard.stream.released.chunks", "final", Boolean.toString(last))
        .increment();
  }

  void closed(String action, String endReason) {
    registry
        .counter("armguard.streams.closed", "action", action, "end", String.valueOf(endReason))
        .increment();
  }
}
