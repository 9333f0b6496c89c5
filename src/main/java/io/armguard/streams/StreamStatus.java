package io.armguard.streams;

/**
 * Where a reply stream is, as the {@code status} field of its {@code StreamState} spells it.
 *
 * <ul>
 *   <li>{@link #OPEN}: armguard follows the reply and releases it.
 *   <li>{@link #REPAIRED}: armguard has ended the output (rewrite or fallback); the chatbot's later
 *       chunks are dropped and counted until its final chunk or the idle timeout.
 *   <li>{@link #CLOSED}: done and audited; the state is kept (without text) for {@code
 *       stream.closed.retention.ms} so that late chunks are recognised and dropped.
 * </ul>
 */
enum StreamStatus {
  OPEN,
  REPAIRED,
  CLOSED;

  static StreamStatus of(String name) {
    return valueOf(name);
  }
}
