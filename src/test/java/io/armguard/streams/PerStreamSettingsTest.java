package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.config.ArmguardConfig;
import io.armguard.moderate.WordListEngine;
import io.armguard.schema.Action;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.ReleasedChunk;
import io.armguard.schema.ReplyChunk;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A stream's own hold-back, threshold and on-flag from its first chunk (ReplyChunk v2), under
 * TopologyTestDriver with the word-list engine ("idiot", "stupid", "hate" score 0.9, other words
 * 0.1): each replaces the service's for that stream only, and an out-of-range one gets the stream
 * REJECTED with the reason. The service here: hold-back 2, threshold 0.5, on-flag rewrite.
 */
class PerStreamSettingsTest {

  @TempDir Path stateDir;

  private final WordListEngine engine = new WordListEngine();
  private final AtomicLong clock = new AtomicLong();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private ArmguardConfig config;
  private StreamTopologyHarness harness;
  private TopologyTestDriver driver;
  private TestInputTopic<String, ReplyChunk> in;
  private TestOutputTopic<String, ReleasedChunk> out;
  private TestOutputTopic<String, AuditRecord> audits;

  @BeforeEach
  void start() {
    config =
        ArmguardConfig.from(
            Map.ofEntries(
                Map.entry("stream.enabled", "true"),
                Map.entry("stream.holdback.tokens", "2"),
                Map.entry("stream.on.flag", "rewrite"),
                Map.entry("toxicity.threshold", "0.5"),
                Map.entry("batch.size", "4"),
                Map.entry("batch.max.delay.ms", "20"),
                Map.entry("batch.max.in.flight", "0"),
                Map.entry("state.dir", stateDir.toString()),
                Map.entry("schema.registry.url", "mock://per-stream-settings-test"),
                Map.entry("rewrite.min.new.tokens", "2"),
                Map.entry("instance.id", "ttd"),
                Map.entry("transaction.timeout.ms", "60000"),
                Map.entry("application.id", "armguard-per-stream-ttd")),
            Map.of());
    harness =
        new StreamTopologyHarness(config, "per-stream-settings-test", engine, meters, clock::get);
    driver = harness.driver;
    in = harness.in;
    out = harness.out;
    audits = harness.audits;
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  /** Sends one chunk (seq 0 set up by {@code first}) and lets the batch delay pass. */
  private void send(String id, long seq, String text, boolean last, Consumer<ReplyChunk> first) {
    ReplyChunk c =
        ReplyChunk.newBuilder()
            .setStreamId(id)
            .setSeq(seq)
            .setPrompt(seq == 0 ? "How was the film?" : null)
            .setText(text)
            .setFinal$(last)
            .build();
    if (seq == 0) {
      first.accept(c);
    }
    in.pipeInput(id, c);
    clock.addAndGet(25);
    driver.advanceWallClockTime(Duration.ofMillis(25));
  }

  /** The released text per stream, in output order. */
  private Map<String, List<ReleasedChunk>> released() {
    Map<String, List<ReleasedChunk>> by = new java.util.HashMap<>();
    out.readKeyValuesToList()
        .forEach(kv -> by.computeIfAbsent(kv.key, k -> new ArrayList<>()).add(kv.value));
    return by;
  }

  private Map<String, AuditRecord> audits() {
    Map<String, AuditRecord> by = new java.util.HashMap<>();
    audits.readKeyValuesToList().forEach(kv -> by.put(kv.value.getRequestId(), kv.value));
    return by;
  }

  private static String joined(List<ReleasedChunk> chunks) {
    StringBuilder sb = new StringBuilder();
    chunks.forEach(c -> sb.append(c.getText()));
    return sb.toString();
  }

  @Test
  void aStreamsOwnHoldBackIsFollowedBesideAStreamOnTheServicesOne() {
    send("own", 0, "one two three four five six", false, c -> c.setHoldbackTokens(4));
    send("service", 0, "one two three four five six", false, c -> {});
    send("none", 0, "one two three four five six", false, c -> c.setHoldbackTokens(0));
    Map<String, List<ReleasedChunk>> early = released();
    // released through the token h behind the newest ("six"), never into the open last word
    assertEquals("one two", joined(early.get("own")), "4 tokens behind 'six'");
    assertEquals("one two three four", joined(early.get("service")), "2 tokens behind 'six'");
    assertEquals("one two three four five", joined(early.get("none")), "'six' may go on");
    for (String id : List.of("own", "service", "none")) {
      send(id, 1, ".", true, c -> {});
    }
    Map<String, AuditRecord> a = audits();
    assertEquals(4, a.get("own").getStream().getHoldbackTokens());
    assertEquals(2, a.get("service").getStream().getHoldbackTokens());
    assertEquals(0, a.get("none").getStream().getHoldbackTokens());
  }

  @Test
  void aStreamsOwnOnFlagReplacesTheServicesRewrite() {
    send("b", 0, "Nice one you stupid ", false, c -> c.setOnFlag("BLOCK"));
    send("b", 1, "person.", true, c -> {});
    List<ReleasedChunk> chunks = released().get("b");
    assertEquals(Action.BLOCKED, chunks.get(chunks.size() - 1).getAction());
    assertTrue(joined(chunks).endsWith(config.rewriteFallbackText()), joined(chunks));
    assertTrue(engine.generateRequests.isEmpty(), "no rewrite was tried");
    assertEquals("block", audits().get("b").getStream().getOnFlag());
  }

  @Test
  void aStreamsOwnThresholdDecidesWhatIsFlagged() {
    send("lax", 0, "you are an idiot ", false, c -> c.setToxicityThreshold(0.95f));
    send("lax", 1, "really.", true, c -> {});
    send(
        "strict",
        0,
        "a fine film ",
        false,
        c -> {
          c.setToxicityThreshold(0.05f);
          c.setOnFlag("block");
        });
    send("strict", 1, "really.", true, c -> {});
    Map<String, List<ReleasedChunk>> by = released();
    ReleasedChunk lax = by.get("lax").get(by.get("lax").size() - 1);
    assertEquals("you are an idiot really.", joined(by.get("lax")), "0.9 < 0.95: not flagged");
    assertEquals(Action.ALLOWED, lax.getAction());
    // the stream's threshold is the steering label's (as a request's): insult keeps 0.5
    assertFalse(lax.getCategories().get("toxicity"));
    assertTrue(lax.getCategories().get("insult"));
    ReleasedChunk strict = by.get("strict").get(by.get("strict").size() - 1);
    assertTrue(strict.getCategories().get("toxicity"), "0.1 >= 0.05: flagged");
    assertEquals(Action.BLOCKED, strict.getAction());
    Map<String, AuditRecord> a = audits();
    assertEquals(0.95f, a.get("lax").getThreshold());
    assertEquals(0.05f, a.get("strict").getThreshold());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "holdback | -1 | holdback_tokens -1 outside [0, 256]",
        "holdback | 257 | holdback_tokens 257 outside [0, 256]",
        "threshold | 1.5 | toxicity_threshold 1.5 outside [0, 1]",
        "threshold | NaN | toxicity_threshold NaN outside [0, 1]",
        "on_flag | shout | on_flag 'shout' is not one of rewrite, redact, block"
      })
  void anOutOfRangeSettingRejectsTheStreamWithTheReason(String field, String value, String why) {
    Consumer<ReplyChunk> set =
        switch (field) {
          case "holdback" -> c -> c.setHoldbackTokens(Integer.parseInt(value));
          case "threshold" -> c -> c.setToxicityThreshold(Float.parseFloat(value));
          default -> c -> c.setOnFlag(value);
        };
    send("bad", 0, "a perfectly fine ", false, set);
    send("bad", 1, "reply.", true, c -> {});
    List<ReleasedChunk> chunks = released().get("bad");
    assertEquals(1, chunks.size(), "one empty final chunk, nothing released");
    ReleasedChunk last = chunks.get(0);
    assertTrue(last.getFinal$());
    assertEquals("", last.getText());
    assertEquals(Action.REJECTED, last.getAction());
    assertEquals(why, last.getReason());
    AuditRecord a = audits().get("bad");
    assertEquals(Action.REJECTED, a.getAction());
    assertEquals(why, a.getReason());
    assertEquals("rejected", a.getStream().getEndReason());
    assertEquals(
        1.0, meters.find("armguard.stream.chunks").tag("outcome", "late").counter().count());
  }
}
