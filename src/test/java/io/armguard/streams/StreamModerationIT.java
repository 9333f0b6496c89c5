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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streamed replies through the whole service against a real single-node KRaft broker, exactly-once
 * v2, scoring on the decode worker: a clean reply and one that turns toxic, chunk by chunk, as a
 * read_committed consumer sees them. The word-list engine decides toxicity (random real models flag
 * nothing reproducibly); the real engine's scoring path is MODERATE's, tested elsewhere.
 */
class StreamModerationIT {

  @TempDir static Path tmp;

  static EmbeddedBroker broker;
  static ArmguardConfig config;
  static TopologySerdes serdes;
  static StreamSerdes streamSerdes;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start();
    Map<String, String> props = new HashMap<>();
    props.put("application.id", "armguard-stream-it");
    props.put("bootstrap.servers", broker.bootstrapServers());
    props.put("state.dir", tmp.resolve("state").toString());
    props.put("http.port", "0");
    props.put("instance.id", "stream-it");
    props.put("schema.registry.url", "mock://armguard-stream-it");
    props.put("stream.enabled", "true");
    props.put("stream.holdback.tokens", "3");
    props.put("rewrite.min.new.tokens", "2");
    config = ArmguardConfig.from(props, Map.of());
    broker.createTopics(
        2,
        List.of(
            config.requestsTopic(),
            config.completionsTopic(),
            config.auditTopic(),
            config.dlqTopic(),
            config.string(ArmguardConfig.TOPIC_STREAM_IN),
            config.string(ArmguardConfig.TOPIC_STREAM_OUT)));
    serdes = TestSerdes.create("armguard-stream-it");
    streamSerdes = StreamSerdes.fromConfig(config);
  }

  @AfterAll
  static void stop() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  private static ReplyChunk chunk(String id, long seq, String text, boolean last) {
    return ReplyChunk.newBuilder()
        .setStreamId(id)
        .setSeq(seq)
        .setPrompt(seq == 0 ? "What did you think of it?" : null)
        .setText(text)
        .setFinal$(last)
        .build();
  }

  private static KafkaConsumer<String, Object> committedReader() {
    Map<String, Object> p = new HashMap<>();
    p.put("bootstrap.servers", broker.bootstrapServers());
    p.put("group.id", "stream-it-" + UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    p.put("isolation.level", "read_committed");
    return new KafkaConsumer<>(
        p,
        new StringDeserializer(),
        (topic, data) ->
            topic.equals(config.auditTopic())
                ? serdes.audit().deserializer().deserialize(topic, data)
                : streamSerdes.released().deserializer().deserialize(topic, data));
  }

  @Test
  void aCleanAndATurningToxicReplyAreReleasedChunkByChunkExactlyOnce() throws Exception {
    List<ReplyChunk> clean =
        List.of(
            chunk("clean", 0, "The film was lovely, the acting", false),
            chunk("clean", 1, " was great and the mu", false),
            chunk("clean", 2, "sic too.", true));
    List<ReplyChunk> toxic =
        List.of(
            chunk("toxic", 0, "The film was fine, but honestly", false),
            chunk("toxic", 1, " you are an id", false),
            chunk("toxic", 2, "iot for liking", false),
            chunk("toxic", 3, " it.", true));
    Map<String, List<ReleasedChunk>> released = new HashMap<>();
    Map<String, List<AuditRecord>> audits = new HashMap<>();
    try (ArmguardService service =
            new ArmguardService(config, serdes, new EnginePool(WordListEngine::new));
        KafkaProducer<String, ReplyChunk> producer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(),
                streamSerdes.chunk().serializer());
        KafkaConsumer<String, Object> reader = committedReader()) {
      assertTrue(service.awaitRunning(Duration.ofSeconds(60)), "state " + service.state());
      reader.subscribe(
          List.of(config.string(ArmguardConfig.TOPIC_STREAM_OUT), config.auditTopic()));
      String in = config.string(ArmguardConfig.TOPIC_STREAM_IN);
      for (int i = 0; i < 4; i++) {
        if (i < clean.size()) {
          producer.send(new ProducerRecord<>(in, "clean", clean.get(i)));
        }
        producer.send(new ProducerRecord<>(in, "toxic", toxic.get(i)));
        producer.flush();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (audits.size() < 2 && System.nanoTime() < deadline) {
        collect(reader, released, audits, Duration.ofMillis(500));
      }
      // linger: anything released twice or after the audit would show up now
      collect(reader, released, audits, Duration.ofSeconds(3));
    }
    assertEquals(2, audits.size(), "audits: " + audits.keySet());
    audits.values().forEach(a -> assertEquals(1, a.size(), "one audit record per stream"));

    List<ReleasedChunk> c = released.get("clean");
    assertSeqs(c);
    assertEquals("The film was lovely, the acting was great and the music too.", text(c));
    assertEquals(Action.ALLOWED, c.get(c.size() - 1).getAction());

    List<ReleasedChunk> t = released.get("toxic");
    assertSeqs(t);
    String shown = text(t);
    assertFalse(shown.contains("idiot"), shown);
    assertTrue(shown.startsWith("The film was fine,"), shown);
    assertEquals(Action.REWRITTEN, t.get(t.size() - 1).getAction());
    assertTrue(t.get(t.size() - 1).getFlagged());
    AuditRecord a = audits.get("toxic").get(0);
    assertEquals("stream", a.getStage());
    assertEquals(Action.REWRITTEN, a.getAction());
    // chunks appended before the flag was scored are inside the replaced span; later ones are
    // dropped and counted: together, all four
    assertEquals(4, a.getStream().getChunksIn() + a.getStream().getDroppedChunks());
    assertEquals(a.getStream().getReleasedChars(), a.getRewrittenSpan().getBegin());
    assertTrue(a.getRewrittenSpan().getBegin() <= shown.indexOf(" fine words"), shown);
  }

  private static void collect(
      KafkaConsumer<String, Object> reader,
      Map<String, List<ReleasedChunk>> released,
      Map<String, List<AuditRecord>> audits,
      Duration wait) {
    long end = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < end) {
      for (ConsumerRecord<String, Object> r : reader.poll(Duration.ofMillis(200))) {
        if (r.value() instanceof AuditRecord a) {
          audits.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(a);
        } else {
          released.computeIfAbsent(r.key(), k -> new ArrayList<>()).add((ReleasedChunk) r.value());
        }
      }
    }
  }

  private static void assertSeqs(List<ReleasedChunk> chunks) {
    for (int i = 0; i < chunks.size(); i++) {
      assertEquals(i, chunks.get(i).getSeq(), "released once each, in order, no gaps");
      assertEquals(i == chunks.size() - 1, chunks.get(i).getFinal$());
    }
  }

  private static String text(List<ReleasedChunk> chunks) {
    StringBuilder sb = new StringBuilder();
    chunks.forEach(x -> sb.append(x.getText()));
    return sb.toString();
  }
}
