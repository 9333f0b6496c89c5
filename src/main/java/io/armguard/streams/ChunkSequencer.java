package io.armguard.streams;

import io.armguard.schema.PendingChunk;
import io.armguard.schema.ReplyChunk;
import io.armguard.schema.StreamState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Puts a stream's chunks in seq order: the defined outcome of every arrival, applied to the
 * stream's state. Stateless; the state is the caller's (the stream-state store's value).
 *
 * <ul>
 *   <li>the next seq: appended (while {@link StreamStatus#OPEN}; once {@link StreamStatus#REPAIRED}
 *       the text is dropped and counted), then any held chunks that now follow in order;
 *   <li>a seq ahead of a gap: held in {@code pending} until the gap fills; one more than {@code
 *       maxPending} held chunks is {@link Outcome#OVERFLOW} (the caller closes the stream as
 *       truncated); a gap that never fills ends with the idle timeout;
 *   <li>a seq already appended or held: {@link Outcome#DUPLICATE}, dropped and counted;
 *   <li>a seq after the final chunk's: {@link Outcome#AFTER_FINAL}, dropped and counted;
 *   <li>any chunk of a {@link StreamStatus#CLOSED} stream: {@link Outcome#LATE} (not counted in the
 *       state: its audit record is written).
 * </ul>
 */
final class ChunkSequencer {

  private ChunkSequencer() {}

  /** What became of one chunk. */
  enum Outcome {
    APPENDED,
    HELD,
    DUPLICATE,
    AFTER_FINAL,
    OVERFLOW,
    LATE
  }

  /** Applies {@code c} to {@code s} (mutated in place). */
  static Outcome accept(StreamState s, ReplyChunk c, int maxPending) {
    if (StreamStatus.of(s.getStatus()) == StreamStatus.CLOSED) {
      return Outcome.LATE;
    }
    long seq = c.getSeq();
    if (seq < s.getNextInSeq() || isHeld(s, seq)) {
      s.setDuplicateChunks(s.getDuplicateChunks() + 1);
      return Outcome.DUPLICATE;
    }
    if (s.getFinalSeq() >= 0 && seq > s.getFinalSeq()) {
      s.setDroppedChunks(s.getDroppedChunks() + 1);
      return Outcome.AFTER_FINAL;
    }
    if (seq == 0 && c.getPrompt() != null) {
      s.setPrompt(c.getPrompt());
      s.setAttributes(c.getAttributes());
    }
    if (seq == 0) {
      StreamOptions.copy(c, s); // the stream's own settings come with its first chunk
    }
    if (c.getFinal$()) {
      s.setFinalSeq(seq);
      dropHeldAfter(s, seq);
    }
    if (seq > s.getNextInSeq()) {
      if (s.getPending().size() >= maxPending) {
        return Outcome.OVERFLOW;
      }
      List<PendingChunk> pending = new ArrayList<>(s.getPending());
      pending.add(new PendingChunk(seq, c.getText(), c.getFinal$()));
      pending.sort(Comparator.comparingLong(PendingChunk::getSeq));
      s.setPending(pending);
      return Outcome.HELD;
    }
    append(s, c.getText(), c.getFinal$());
    List<PendingChunk> pending = new ArrayList<>(s.getPending());
    while (!pending.isEmpty() && pending.get(0).getSeq() == s.getNextInSeq()) {
      PendingChunk p = pending.remove(0);
      append(s, p.getText(), p.getFinal$());
    }
    s.setPending(pending);
    return Outcome.APPENDED;
  }

  private static void append(StreamState s, String text, boolean last) {
    if (StreamStatus.of(s.getStatus()) == StreamStatus.OPEN) {
      s.setText(s.getText() + text);
      s.setChunksIn(s.getChunksIn() + 1);
    } else {
      s.setDroppedChunks(s.getDroppedChunks() + 1);
    }
    s.setNextInSeq(s.getNextInSeq() + 1);
    if (last) {
      s.setFinalReceived(true);
    }
  }

  private static boolean isHeld(StreamState s, long seq) {
    return s.getPending().stream().anyMatch(p -> p.getSeq() == seq);
  }

  private static void dropHeldAfter(StreamState s, long finalSeq) {
    List<PendingChunk> kept = new ArrayList<>();
    for (PendingChunk p : s.getPending()) {
      if (p.getSeq() > finalSeq) {
        s.setDroppedChunks(s.getDroppedChunks() + 1);
      } else {
        kept.add(p);
      }
    }
    s.setPending(kept);
  }
}
