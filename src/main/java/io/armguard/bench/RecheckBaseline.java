package io.armguard.bench;

import io.armguard.decode.TextScoreRequest;
import io.armguard.streams.ReplyChunker;
import java.util.ArrayList;
import java.util.List;

/**
 * The non-streaming ways of checking the same replies, run directly on an engine (no Kafka) in
 * batches of {@code batchSize}: whole-reply MODERATE (each reply scored once, when complete) and a
 * chunked re-check (the whole reply so far re-scored every {@code every} chatbot tokens and once at
 * the end, as guardrails without a causal scorer do). Used from one thread.
 */
public final class RecheckBaseline {

  /** What one way cost, summed over the replies. */
  public record Cost(String name, MeteredEngine.Reading engine) {}

  private final MeteredEngine engine;
  private final int batchSize;

  public RecheckBaseline(MeteredEngine engine, int batchSize) {
    this.engine = engine;
    this.batchSize = batchSize;
  }

  /** Each reply scored once, whole. */
  public Cost wholeReply(List<String> replies) {
    return run("whole_reply", replies);
  }

  /** Every reply's first {@code every}, {@code 2 every}, … tokens, and the whole reply. */
  public Cost chunkedRecheck(List<String> replies, int every) {
    List<String> texts = new ArrayList<>();
    for (String reply : replies) {
      texts.addAll(recheckTexts(reply, every));
    }
    return run("recheck_every_" + every, texts);
  }

  /** The texts a re-check every {@code every} tokens scores for one reply, shortest first. */
  static List<String> recheckTexts(String reply, int every) {
    List<String> tokens = ReplyChunker.tokens(reply);
    List<String> out = new ArrayList<>();
    StringBuilder soFar = new StringBuilder();
    for (int i = 0; i < tokens.size(); i++) {
      soFar.append(tokens.get(i));
      if ((i + 1) % every == 0 || i == tokens.size() - 1) {
        out.add(soFar.toString());
      }
    }
    return out;
  }

  private Cost run(String name, List<String> texts) {
    MeteredEngine.Reading before = engine.reading();
    for (int i = 0; i < texts.size(); i += batchSize) {
      engine.scorePrefixes(
          texts.subList(i, Math.min(texts.size(), i + batchSize)).stream()
              .map(t -> new TextScoreRequest("", t))
              .toList());
    }
    return new Cost(name, engine.reading().minus(before));
  }
}
