package io.armguard.streams;

import io.armguard.schema.ReplyChunk;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts a reply into the chunks a chatbot would stream: token-sized pieces (leading whitespace plus
 * at most {@value #MAX_TOKEN_CHARS} non-space chars, about GPT-style BPE's 1.3 tokens per English
 * word), so words longer than that straddle chunks as real sub-word tokens do. The pieces
 * concatenate to the text exactly. Used by {@code produce --stream}, the demo and {@code bench
 * stream} so all three replay a text the same way. Stateless and thread-safe.
 */
public final class ReplyChunker {

  /** Non-space chars in one token at most. */
  public static final int MAX_TOKEN_CHARS = 4;

  private static final Pattern TOKEN = Pattern.compile("\\s*\\S{1," + MAX_TOKEN_CHARS + "}|\\s+$");

  private ReplyChunker() {}

  /** The token-sized pieces of {@code text}, in order; none for an empty text. */
  public static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /**
   * The {@link ReplyChunk}s of one reply: seq 0, 1, …, {@code tokensPerChunk} tokens each (the last
   * may hold fewer), the prompt on seq 0, {@code final} on the last. An empty reply is one empty
   * final chunk.
   *
   * @param createdAtMs the chunks' {@code created_at} (informational)
   */
  public static List<ReplyChunk> chunks(
      String streamId, String prompt, String text, int tokensPerChunk, long createdAtMs) {
    if (tokensPerChunk < 1) {
      throw new IllegalArgumentException("tokensPerChunk must be >= 1, got " + tokensPerChunk);
    }
    List<String> tokens = tokens(text);
    List<ReplyChunk> out = new ArrayList<>();
    int n = Math.max(1, (tokens.size() + tokensPerChunk - 1) / tokensPerChunk);
    for (int i = 0; i < n; i++) {
      List<String> part =
          tokens.subList(
              Math.min(tokens.size(), i * tokensPerChunk),
              Math.min(tokens.size(), (i + 1) * tokensPerChunk));
      out.add(
          ReplyChunk.newBuilder()
              .setStreamId(streamId)
              .setSeq(i)
              .setPrompt(i == 0 ? prompt : null)
              .setText(String.join("", part))
              .setFinal$(i == n - 1)
              .setCreatedAt(Instant.ofEpochMilli(createdAtMs))
              .setAttributes(Map.of())
              .build());
    }
    return out;
  }
}
