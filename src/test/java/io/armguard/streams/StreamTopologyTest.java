package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streamed-reply sub-topology under TopologyTestDriver with the word-list engine (one token per
 * word; "idiot", "stupid", "hate" are toxic): hold-back releases, the three on-flag outcomes, and
 * the defined outcome of every seq edge case.
 */
class StreamTopologyTest {

  private static final String PROMPT = "How was the film?";

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

  private void start(Map<String, String> more) {
    Map<String, String> props =
        new HashMap<>(
            Map.of(
                "stream.enabled", "true",
                "stream.holdback.tokens", "2",
                "stream.idle.timeout.ms", "1000",
                "batch.size", "4",
                "batch.max.delay.ms", "20",
                "batch.max.in.flight", "0",
                "state.dir", stateDir.toString(),
                "schema.registry.url", "mock://stream-topology-test",
                "rewrite.min.new.tokens", "2"));
    props.put("instance.id", "ttd");
    props.put("transaction.timeout.ms", "60000");
    props.put("application.id", "armguard-stream-ttd");
    props.putAll(more);
    config = ArmguardConfig.from(props, Map.of());
    harness = new StreamTopologyHarness(config, "stream-topology-test", engine, meters, clock::get);
    driver = harness.driver;
    in = harness.in;
    out = harness.out;
    audits = harness.audits;
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
  }

  private void advance(long ms) {
    clock.addAndGet(ms);
    driver.advanceWallClockTime(Duration.ofMillis(ms));
  }

  private void send(String id, long seq, String text, boolean last) {
    ReplyChunk c =
        ReplyChunk.newBuilder()
            .setStreamId(id)
            .setSeq(seq)
            .setPrompt(seq == 0 ? PROMPT : null)
            .setText(text)
            .setFinal$(last)
            .build();
    in.pipeInput(id, c);
    advance(25); // past batch.max.delay.ms: the stream is scored
  }

  /** Sends the chunks in order, the last one final. */
  private void stream(String id, String... chunks) {
    for (int i = 0; i < chunks.length; i++) {
      send(id, i, chunks[i], i == chunks.length - 1);
    }
  }

  private static String joined(List<ReleasedChunk> chunks) {
    StringBuilder sb = new StringBuilder();
    chunks.forEach(c -> sb.append(c.getText()));
    return sb.toString();
  }

  private static void assertOwnSeqs(List<ReleasedChunk> chunks) {
    for (int i = 0; i < chunks.size(); i++) {
      assertEquals(i, chunks.get(i).getSeq(), "output seqs are 0, 1, 2, ... without gaps");
      assertEquals(i == chunks.size() - 1, chunks.get(i).getFinal$(), "only the last is final");
    }
  }

  private double counter(String name, String tag, String value) {
    var c = meters.find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aCleanReplyIsReleasedBehindTheHoldBackAtWordBoundariesThenWhole() {
    start(Map.of());
    send("s1", 0, "It was a lov", false);
    List<ReleasedChunk> early = out.readValuesToList();
    assertEquals("It was", joined(early), "2 tokens behind the unfinished 'lov'");
    send("s1", 1, "ely film with great act", false);
    early.addAll(out.readValuesToList());
    assertEquals("It was a lovely film with", joined(early), "2 tokens behind 'act'");
    send("s1", 2, "ing.", true);
    List<ReleasedChunk> all = new java.util.ArrayList<>(early);
    all.addAll(out.readValuesToList());
    assertEquals("It was a lovely film with great acting.", joined(all));
    assertOwnSeqs(all);
    ReleasedChunk last = all.get(all.size() - 1);
    assertEquals(Action.ALLOWED, last.getAction());
    assertFalse(last.getFlagged());
    assertEquals(0.1f, last.getCategoryScores().get("toxicity"));
    AuditRecord a = audits.readValue();
    assertTrue(audits.isEmpty(), "one audit record per stream");
    assertEquals("s1", a.getRequestId());
    assertEquals("stream", a.getStage());
    assertEquals(3, a.getStream().getChunksIn());
    assertEquals(all.size(), a.getStream().getChunksOut());
    assertEquals("final", a.getStream().getEndReason());
  }

  @Test
  void rewriteCompletesFromTheReleasedTextAndDropsTheRestOfTheChatbotsStream() {
    start(Map.of("stream.on.flag", "rewrite", "stream.holdback.tokens", "4"));
    send("s2", 0, "The film was long, and you are an", false);
    send("s2", 1, " idiot for", false);
    send("s2", 2, " liking it", false);
    send("s2", 3, " at all.", true);
    List<ReleasedChunk> chunks = out.readValuesToList();
    assertOwnSeqs(chunks);
    String shown = joined(chunks);
    assertFalse(shown.contains("idiot"), shown);
    ReleasedChunk last = chunks.get(chunks.size() - 1);
    assertEquals(Action.REWRITTEN, last.getAction());
    assertTrue(last.getFlagged(), "the reply as received was flagged");
    // released up to the clause before the insult, then armguard's completion
    assertEquals("The film was long, fine words", shown);
    AuditRecord a = audits.readValue();
    assertEquals(Action.REWRITTEN, a.getAction());
    assertEquals(2, a.getStream().getDroppedChunks(), "seq 2 and 3 came after the rewrite");
    assertEquals(1, a.getRewriteAttempts());
    assertTrue(audits.isEmpty());
    assertTrue(
        engine.generateRequests.get(0).prompt().startsWith(PROMPT + " The film was long,"),
        "the LM continues the prompt and the released text");
  }

  @Test
  void redactMasksTheFlaggedWordAndKeepsFollowing() {
    start(Map.of("stream.on.flag", "redact"));
    stream("s3", "You are an idi", "ot and I ", "like the film", " a lot.");
    List<ReleasedChunk> chunks = out.readValuesToList();
    assertOwnSeqs(chunks);
    assertEquals("You are an [removed] and I like the film a lot.", joined(chunks));
    assertEquals(Action.REDACTED, chunks.get(chunks.size() - 1).getAction());
    AuditRecord a = audits.readValue();
    assertEquals(1, a.getStream().getRedactions());
    assertEquals(11, a.getFirstFlaggedChar());
  }

  @Test
  void blockEndsWithTheFallbackAfterTheReleasedText() {
    start(Map.of("stream.on.flag", "block", "stream.holdback.tokens", "1"));
    stream("s4", "Nice one ", "you stupid ", "person.");
    List<ReleasedChunk> chunks = out.readValuesToList();
    // "Nice" was out; the clean "one you" before the insult is not a clause start: withheld
    assertEquals("Nice " + config.rewriteFallbackText(), joined(chunks));
    assertEquals(Action.BLOCKED, chunks.get(chunks.size() - 1).getAction());
    assertEquals(Action.BLOCKED, audits.readValue().getAction());
  }

  @Test
  void duplicateAndOutOfOrderChunksGiveTheSameReleaseAsInOrder() {
    start(Map.of());
    send("s5", 1, " b c", false); // ahead of seq 0: held
    send("s5", 0, "a", false);
    send("s5", 0, "a", false); // duplicate of an appended seq
    send("s5", 3, " f.", true); // final, ahead of seq 2: held
    send("s5", 3, " f.", true); // duplicate of a held seq
    assertEquals("a", joined(out.readValuesToList()), "'a b c' held back 2 tokens; seq 3 held");
    send("s5", 2, " d e", false);
    List<ReleasedChunk> rest = out.readValuesToList();
    assertEquals(" b c d e f.", joined(rest));
    AuditRecord a = audits.readValue();
    assertEquals(4, a.getStream().getChunksIn());
    assertEquals(2, a.getStream().getDuplicateChunks());
    assertEquals(Action.ALLOWED, a.getAction());
  }

  @Test
  void chunksAfterTheFinalOneAreDroppedAndCounted() {
    start(Map.of());
    stream("s6", "all good", " here.");
    send("s6", 2, " and more", false); // after the final seq of a closed stream
    send("s6", 0, "again", false);
    assertEquals("all good here.", joined(out.readValuesToList()));
    audits.readValue();
    assertTrue(audits.isEmpty(), "no second audit record");
    assertEquals(2.0, counter("armguard.stream.chunks", "outcome", "late"));
  }

  @Test
  void anIdleStreamIsClosedAsTruncatedWithItsTailWithheld() {
    start(Map.of());
    send("s7", 0, "one two three four five", false);
    assertEquals("one two three", joined(out.readValuesToList()));
    advance(1_000);
    List<ReleasedChunk> last = out.readValuesToList();
    assertEquals(1, last.size());
    assertEquals("", last.get(0).getText());
    assertTrue(last.get(0).getFinal$());
    assertTrue(last.get(0).getTruncated());
    AuditRecord a = audits.readValue();
    assertEquals("idle-timeout", a.getStream().getEndReason());
    assertEquals(13, a.getStream().getReleasedChars());
  }

  @Test
  void aMissingSeqEndsTheStreamAsTruncatedAtTheIdleTimeout() {
    start(Map.of());
    send("s8", 0, "one two three four", false);
    send("s8", 2, " six seven", true);
    advance(1_000);
    List<ReleasedChunk> chunks = out.readValuesToList();
    assertEquals("one two", joined(chunks));
    assertTrue(chunks.get(chunks.size() - 1).getTruncated());
    assertEquals("missing-seq", audits.readValue().getStream().getEndReason());
  }

  @Test
  void moreHeldChunksThanAllowedCloseTheStream() {
    start(Map.of("stream.max.pending.chunks", "2"));
    send("s9", 2, "c", false);
    send("s9", 3, "d", false);
    send("s9", 4, "e", false);
    List<ReleasedChunk> chunks = out.readValuesToList();
    assertEquals(1, chunks.size());
    assertTrue(chunks.get(0).getTruncated());
    assertEquals("missing-seq", audits.readValue().getStream().getEndReason());
  }

  @Test
  void streamsThatReceivedChunksTogetherAreScoredInOneCall() {
    start(Map.of());
    int before = engine.scoreCalls.get();
    for (String id : List.of("a", "b", "c")) {
      in.pipeInput(
          id,
          ReplyChunk.newBuilder()
              .setStreamId(id)
              .setSeq(0)
              .setText("hello there friend")
              .setFinal$(true)
              .build());
    }
    advance(25);
    assertEquals(1, engine.scoreCalls.get() - before);
    assertEquals(3, out.readValuesToList().size());
    assertNull(
        audits.readValuesToList().stream()
            .filter(a -> a.getStream() == null)
            .findAny()
            .orElse(null));
  }
}
