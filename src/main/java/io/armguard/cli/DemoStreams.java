package io.armguard.cli;

import io.armguard.config.ArmguardConfig;
import io.armguard.schema.ReleasedChunk;
import io.armguard.schema.ReplyChunk;
import io.armguard.streams.ChunkSchedule;
import io.armguard.streams.ReplyChunker;
import io.armguard.streams.StreamSerdes;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The demo's streaming part: a clean reply and one that turns toxic, streamed token by token to
 * {@code topic.stream.in} of the running demo pipeline, and what the user would see on {@code
 * topic.stream.out} ({@code read_committed}), chunk by chunk with the time since the stream's first
 * token was sent. Used from one thread.
 */
final class DemoStreams {

  /** A demo stream: id, user turn, the chatbot's reply. */
  private record Sample(String id, String prompt, String reply) {}

  private static final List<Sample> SAMPLES =
      List.of(
          new Sample(
              "stream-clean",
              "How was the movie?",
              "It was a lovely film with great acting, a clever story and music that stayed with"
                  + " me for days."),
          new Sample(
              "stream-turns-toxic",
              "What do you think of my code?",
              "Thanks for sharing it. The structure is fine and the tests are easy to follow, but"
                  + " honestly you are an idiot and this is garbage."));

  static final double TOKENS_PER_SECOND = 20;

  private DemoStreams() {}

  /** Number of streams {@link #run} sends. */
  static int count() {
    return SAMPLES.size();
  }

  /**
   * Streams the samples, waits up to {@code timeout} for each final chunk, prints them; returns the
   * number of streams that ended.
   */
  static int run(EmbeddedPipeline pipeline, Duration timeout, PrintStream out) {
    ArmguardConfig config = pipeline.config();
    StreamSerdes serdes = StreamSerdes.fromConfig(config);
    String topic = config.string(ArmguardConfig.TOPIC_STREAM_IN);
    out.printf(
        Locale.ROOT,
        "-- streamed replies (%s -> %s, %.0f tokens/s, stream.holdback.tokens=%d,"
            + " stream.on.flag=%s): what the user sees, chunk by chunk%n",
        topic,
        config.string(ArmguardConfig.TOPIC_STREAM_OUT),
        TOKENS_PER_SECOND,
        config.intValue(ArmguardConfig.STREAM_HOLDBACK_TOKENS),
        config.string(ArmguardConfig.STREAM_ON_FLAG));
    List<List<ReplyChunk>> streams = new ArrayList<>();
    for (Sample s : SAMPLES) {
      streams.add(
          ReplyChunker.chunks(s.id(), s.prompt(), s.reply(), 1, System.currentTimeMillis()));
    }
    Map<String, List<ReleasedChunk>> seen = new LinkedHashMap<>();
    Map<String, List<Long>> seenAt = new LinkedHashMap<>();
    long start;
    ChunkSchedule schedule = ChunkSchedule.of(streams, List.of(0L, 0L), TOKENS_PER_SECOND);
    try (KafkaProducer<String, ReplyChunk> producer = pipeline.chunkProducer(serdes);
        KafkaConsumer<String, ReleasedChunk> reader = pipeline.releasedReader(serdes)) {
      start = schedule.play(c -> producer.send(new ProducerRecord<>(topic, c.getStreamId(), c)));
      producer.flush();
      long deadline = System.nanoTime() + timeout.toNanos();
      int finals = 0;
      while (finals < SAMPLES.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, ReleasedChunk> r : reader.poll(Duration.ofMillis(100))) {
          seen.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
          seenAt.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(System.nanoTime());
          finals += r.value().getFinal$() ? 1 : 0;
        }
      }
    }
    int ended = 0;
    for (Sample s : SAMPLES) {
      long last =
          schedule.events().stream()
              .filter(e -> e.chunk().getStreamId().equals(s.id()))
              .mapToLong(ChunkSchedule.Event::dueNanos)
              .max()
              .orElse(0);
      out.printf(
          Locale.ROOT,
          "[%s] chatbot (last token sent at +%.2f s): \"%s\"%n",
          s.id(),
          last / 1e9,
          s.reply());
      List<ReleasedChunk> chunks = seen.getOrDefault(s.id(), List.of());
      StringBuilder shown = new StringBuilder();
      for (int i = 0; i < chunks.size(); i++) {
        ReleasedChunk c = chunks.get(i);
        shown.append(c.getText());
        out.printf(
            Locale.ROOT,
            "    +%5.2f s  #%d %s\"%s\"%n",
            (seenAt.get(s.id()).get(i) - start) / 1e9,
            c.getSeq(),
            c.getFinal$() ? "final " + c.getAction() + " " : "",
            c.getText());
        if (c.getFinal$()) {
          ended++;
          if (c.getReason() != null) {
            out.println("             reason: " + c.getReason());
          }
        }
      }
      out.printf("    user saw: \"%s\"%n", shown);
    }
    return ended;
  }
}
