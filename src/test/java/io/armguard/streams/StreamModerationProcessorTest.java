package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.config.ArmguardConfig;
import io.armguard.moderate.WordListEngine;
import io.armguard.schema.ReleasedChunk;
import io.armguard.schema.ReplyChunk;
import io.armguard.schema.StreamState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The stream processor alone, across a crash: a new processor over the committed store (what a
 * restore gives) continues each stream where the committed released offset and output seq stand, so
 * the user sees every char once and the output seqs run on without a gap or a repeat.
 */
class StreamModerationProcessorTest {

  private final WordListEngine engine = new WordListEngine();
  private final ArmguardConfig config =
      ArmguardConfig.from(
          Map.of(
              "stream.enabled", "true",
              "stream.holdback.tokens", "1",
              "batch.size", "8",
              "batch.max.delay.ms", "10",
              "batch.max.in.flight", "0",
              "transaction.timeout.ms", "60000",
              "schema.registry.url", "mock://stream-processor-test",
              "instance.id", "p"),
          Map.of());

  private final class Instance {
    final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
    final KeyValueStore<String, StreamState> store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(StreamTopology.STATE_STORE),
                Serdes.String(),
                StreamSerdes.fromConfig(config).state())
            .withLoggingDisabled()
            .build();
    final StreamModerationProcessor processor;

    Instance(List<KeyValue<String, StreamState>> restored) {
      store.init(context.getStateStoreContext(), store);
      context.addStateStore(store);
      restored.forEach(kv -> store.put(kv.key, kv.value));
      StreamSettings settings = StreamSettings.from(config);
      processor =
          new StreamModerationProcessor(
              StreamTopology.STATE_STORE,
              settings,
              new EnginePool(() -> engine),
              new StreamScorerFactory(config),
              new StreamRecords("p", "enforce", settings, new TaskFactory(config).thresholds()),
              new StreamMetrics(new SimpleMeterRegistry()),
              context::currentSystemTimeMs);
      context.setCurrentSystemTimeMs(1_000);
      processor.init(context);
    }

    void chunk(long seq, String text, boolean last) {
      processor.process(
          new Record<>(
              "s",
              ReplyChunk.newBuilder()
                  .setStreamId("s")
                  .setSeq(seq)
                  .setText(text)
                  .setFinal$(last)
                  .build(),
              0L));
      tick();
    }

    void tick() {
      context.setCurrentSystemTimeMs(context.currentSystemTimeMs() + 20);
      processor.tick();
    }

    /** The store as committed now (a copy, as the changelog restores it). */
    List<KeyValue<String, StreamState>> committed() {
      List<KeyValue<String, StreamState>> out = new ArrayList<>();
      try (KeyValueIterator<String, StreamState> it = store.all()) {
        it.forEachRemaining(
            kv -> out.add(KeyValue.pair(kv.key, StreamState.newBuilder(kv.value).build())));
      }
      return out;
    }

    List<ReleasedChunk> released() {
      List<ReleasedChunk> out = new ArrayList<>();
      context
          .forwarded(StreamTopology.OUT_SINK)
          .forEach(f -> out.add((ReleasedChunk) f.record().value()));
      return out;
    }
  }

  @Test
  void aRestoredProcessorReleasesTheRestOnceWithItsSeqsRunningOn() {
    Instance first = new Instance(List.of());
    first.chunk(0, "one two three", false);
    first.chunk(1, " four five", false);
    List<KeyValue<String, StreamState>> committed = first.committed();
    List<ReleasedChunk> shown = new ArrayList<>(first.released());
    assertEquals("one two three four", text(shown));
    // crash: chunk 2 was processed but its transaction never committed; it is read again
    first.chunk(2, " six", false);

    Instance second = new Instance(committed);
    second.chunk(2, " six", false);
    second.chunk(3, " seven.", true);
    shown.addAll(second.released());
    assertEquals("one two three four five six seven.", text(shown));
    for (int i = 0; i < shown.size(); i++) {
      assertEquals(i, shown.get(i).getSeq());
    }
    assertTrue(shown.get(shown.size() - 1).getFinal$());
  }

  @Test
  void textReceivedButNotScoredBeforeTheCrashIsScoredAfterTheRestore() {
    Instance first = new Instance(List.of());
    first.processor.process(
        new Record<>(
            "s",
            ReplyChunk.newBuilder()
                .setStreamId("s")
                .setSeq(0)
                .setText("all fine")
                .setFinal$(true)
                .build(),
            0L));
    assertTrue(first.released().isEmpty(), "still inside the batch delay");
    Instance second = new Instance(first.committed());
    second.tick();
    assertEquals("all fine", text(second.released()));
  }

  @Test
  void aStreamsOwnSettingsAreKeptInTheStoreAndFollowedAfterARestore() {
    Instance first = new Instance(List.of());
    first.processor.process(
        new Record<>(
            "s",
            ReplyChunk.newBuilder()
                .setStreamId("s")
                .setSeq(0)
                .setText("one two three four five")
                .setHoldbackTokens(3) // the service's: 1
                .setOnFlag("block") // the service's: rewrite
                .build(),
            0L));
    first.tick();
    assertEquals("one two", text(first.released()), "3 tokens behind 'five' (the service: 1)");

    Instance second = new Instance(first.committed());
    second.chunk(1, " six seven", false);
    assertEquals(" three four", text(second.released()), "still 3 behind, after the restore");
    second.chunk(2, " you idiot", false);
    second.chunk(3, " ok.", true);
    List<ReleasedChunk> shown = second.released();
    ReleasedChunk last = shown.get(shown.size() - 1);
    assertEquals(io.armguard.schema.Action.BLOCKED, last.getAction(), "its own on-flag");
    assertTrue(engine.generateRequests.isEmpty(), "no rewrite was tried");
    var audit =
        (io.armguard.schema.AuditRecord)
            second.context.forwarded(StreamTopology.AUDIT_SINK).get(0).record().value();
    assertEquals(3, audit.getStream().getHoldbackTokens());
    assertEquals("block", audit.getStream().getOnFlag());
  }

  private static String text(List<ReleasedChunk> chunks) {
    StringBuilder sb = new StringBuilder();
    chunks.forEach(c -> sb.append(c.getText()));
    return sb.toString();
  }
}
