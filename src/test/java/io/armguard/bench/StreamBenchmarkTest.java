package io.armguard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.armguard.schema.ReplyChunk;
import io.armguard.streams.ReplyChunker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code bench stream} turns sent and released chunks into a latency per released token. */
class StreamBenchmarkTest {

  private static final String REPLY = "Hello world again";

  // tokens: "Hell" "o" " worl" "d" " agai" "n", sent at 10, 20, ..., 60 ms
  private final List<ReplyChunk> sent = ReplyChunker.chunks("s", "", REPLY, 1, 0L);
  private final long[] sentAt = {
    10_000_000, 20_000_000, 30_000_000, 40_000_000, 50_000_000, 60_000_000
  };

  @Test
  void eachTokenCountsFromItsSendToTheReleaseThatCompletesIt() {
    List<Double> lat = new ArrayList<>();
    StreamBenchmark.addLatencies(
        sent,
        REPLY,
        sentAt,
        List.of( // out of order on purpose: seq decides
            new StreamBenchmark.Received(1, "world again", 100_000_000),
            new StreamBenchmark.Received(0, "Hello ", 70_000_000)),
        lat);
    assertEquals(List.of(60.0, 50.0, 70.0, 60.0, 50.0, 40.0), lat);
  }

  @Test
  void textAfterARepairIsNotTheChatbotsAndIsNotCounted() {
    List<Double> lat = new ArrayList<>();
    StreamBenchmark.addLatencies(
        sent,
        REPLY,
        sentAt,
        List.of(
            new StreamBenchmark.Received(0, "Hello ", 70_000_000),
            new StreamBenchmark.Received(1, "there, friend.", 90_000_000)),
        lat);
    assertEquals(List.of(60.0, 50.0), lat);
  }

  @Test
  void theRecheckBaselineScoresTheReplySoFarEveryNTokensAndAtTheEnd() {
    assertEquals(
        List.of("Hello", "Hello world", "Hello world again"),
        RecheckBaseline.recheckTexts(REPLY, 2));
    assertEquals(
        List.of("Hello world", "Hello world again"), RecheckBaseline.recheckTexts(REPLY, 4));
  }
}
