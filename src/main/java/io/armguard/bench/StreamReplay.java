package io.armguard.bench;

import io.armguard.decode.StreamText;
import io.armguard.streams.ReplyChunker;
import java.util.ArrayList;
import java.util.List;

/**
 * The streaming path's scoring alone, directly on an engine (no Kafka, no pacing): the replies
 * followed as concurrent streams, every open stream growing by {@code tokensPerCall} chatbot tokens
 * plus {@code i mod 4} per round (so new-token counts differ, as in a saturated service's calls),
 * stream {@code i} joining at round {@code i mod 4} (so cache lengths differ), and each round's
 * streams scored in calls of {@code batchSize} through {@link
 * io.armguard.decode.GuidedEngine#scoreStreams}, ended streams forgotten. What the engine's stream
 * batching costs in wall time for the same texts as {@link RecheckBaseline}'s ways. Used from one
 * thread.
 */
public final class StreamReplay {

  private final int batchSize;
  private final int tokensPerCall;

  public StreamReplay(int batchSize, int tokensPerCall) {
    if (batchSize < 1 || tokensPerCall < 1) {
      throw new IllegalArgumentException("batch size and tokens per call must be >= 1");
    }
    this.batchSize = batchSize;
    this.tokensPerCall = tokensPerCall;
  }

  /** Follows every reply to its end on {@code engine}; the cost is named {@code name}. */
  public RecheckBaseline.Cost run(String name, MeteredEngine engine, List<String> replies) {
    MeteredEngine.Reading before = engine.reading();
    List<List<String>> tokens = replies.stream().map(ReplyChunker::tokens).toList();
    int[] sent = new int[replies.size()];
    StringBuilder[] text = new StringBuilder[replies.size()];
    List<String> ended = new ArrayList<>();
    List<String> forget = List.of();
    for (int round = 0; ; round++) {
      List<StreamText> open = new ArrayList<>();
      for (int i = 0; i < replies.size(); i++) {
        if (round < i % 4 || sent[i] == tokens.get(i).size()) {
          continue;
        }
        if (text[i] == null) {
          text[i] = new StringBuilder();
        }
        int n = tokensPerCall + (i % 4);
        for (int k = 0; k < n && sent[i] < tokens.get(i).size(); k++) {
          text[i].append(tokens.get(i).get(sent[i]++));
        }
        open.add(new StreamText(name + "-" + i, text[i].toString()));
        if (sent[i] == tokens.get(i).size()) {
          ended.add(name + "-" + i);
        }
      }
      if (open.isEmpty() && round >= 4) {
        break;
      }
      for (int at = 0; at < open.size(); at += batchSize) {
        // the streams that ended in an earlier round are forgotten with the next call, as the
        // service does
        engine.scoreStreams(open.subList(at, Math.min(open.size(), at + batchSize)), forget);
        forget = List.of();
      }
      forget = List.copyOf(ended);
      ended.clear();
    }
    RecheckBaseline.Cost cost = new RecheckBaseline.Cost(name, engine.reading().minus(before));
    engine.scoreStreams(List.of(), forget); // frees the last streams' caches (not counted)
    return cost;
  }
}
