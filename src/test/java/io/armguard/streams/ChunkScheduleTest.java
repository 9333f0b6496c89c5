package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.armguard.schema.ReplyChunk;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkScheduleTest {

  @Test
  void chunksAreDueAtTheTokenRateFromTheirStreamsStart() {
    // a: "one", " two", " thre", "e" (one token per chunk); b: "four five" (2 tokens), "rr" (1)
    List<ReplyChunk> a = ReplyChunker.chunks("a", "", "one two three", 1, 0L);
    List<ReplyChunk> b = ReplyChunker.chunks("b", "", "four fiverr", 2, 0L);
    ChunkSchedule s = ChunkSchedule.of(List.of(a, b), List.of(0L, 25_000_000L), 20);
    List<String> order = new ArrayList<>();
    List<Long> dueMs = new ArrayList<>();
    for (ChunkSchedule.Event e : s.events()) {
      order.add(e.chunk().getStreamId() + e.chunk().getSeq());
      dueMs.add(e.dueNanos() / 1_000_000);
    }
    assertEquals(List.of("a0", "a1", "b0", "a2", "b1", "a3"), order);
    assertEquals(List.of(50L, 100L, 125L, 150L, 175L, 200L), dueMs);
    assertEquals(200_000_000L, s.lengthNanos());
  }

  @Test
  void playHandsEveryChunkOverInDueOrder() {
    List<ReplyChunk> a = ReplyChunker.chunks("a", "", "one two three four", 1, 0L);
    ChunkSchedule s = ChunkSchedule.of(List.of(a), List.of(0L), 1e6);
    List<ReplyChunk> got = new ArrayList<>();
    s.play(got::add);
    assertEquals(a, got);
  }

  @Test
  void rejectsARateOfZeroAndMissingStarts() {
    List<List<ReplyChunk>> one = List.of(ReplyChunker.chunks("a", "", "x", 1, 0L));
    assertThrows(IllegalArgumentException.class, () -> ChunkSchedule.of(one, List.of(0L), 0));
    assertThrows(IllegalArgumentException.class, () -> ChunkSchedule.of(one, List.of(), 5));
  }
}
