package io.armguard.bench;

import io.armguard.schema.ReleasedChunk;
import io.armguard.schema.ReplyChunk;
import io.armguard.streams.ChunkSchedule;
import io.armguard.streams.ReplyChunker;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code bench stream}, the streaming part: {@code streams} replies streamed at {@code
 * tokensPerSecond} each (one chatbot token per chunk, starts spread evenly over one token period
 * per stream so they interleave as real conversations do) to a running armguard with streaming on,
 * and its released chunks read back as a {@code read_committed} consumer. Measures, per released
 * token, the time from the chatbot sending it to the user being able to read it (the added
 * latency), and what the service's reward model spent ({@link MeteredEngine}) and the process's CPU
 * share over the run. The caller owns the producer, the consumer (assigned to the output topic,
 * positioned at its end) and the pipeline. Used from one thread (it starts one reader thread).
 */
public final class StreamBenchmark {

  /**
   * What to stream.
   *
   * @param streams concurrent streams
   * @param tokensPerSecond chatbot tokens per second per stream
   * @param drainTimeout how long to wait after the last chunk was sent for every final chunk
   */
  public record Settings(int streams, double tokensPerSecond, Duration drainTimeout) {
    public Settings {
      if (streams < 1 || !(tokensPerSecond > 0)) {
        throw new IllegalArgumentException(
            "streams must be >= 1 and the token rate > 0, got " + streams + ", " + tokensPerSecond);
      }
    }
  }

  /**
   * What one streaming run measured.
   *
   * @param latenciesMs per released token (of the replies as sent, in release order), ms from sent
   *     to consumed
   * @param replyTokens chatbot tokens sent
   * @param releasedTokens of them released unchanged
   * @param finals streams whose final chunk arrived
   * @param wallS first chunk sent to last final chunk consumed (or the timeout)
   * @param cpuShare the process's CPU time over the run / (wall x cores): broker, clients and
   *     service together
   * @param engine what the service's reward model spent over the run
   * @param actions streams per final action (ALLOWED, REWRITTEN, ...)
   */
  public record Run(
      double[] latenciesMs,
      long replyTokens,
      long releasedTokens,
      int finals,
      double wallS,
      double cpuShare,
      MeteredEngine.Reading engine,
      Map<String, Integer> actions) {}

  private final Settings settings;
  private final String inTopic;
  private final KafkaProducer<String, ReplyChunk> producer;
  private final KafkaConsumer<String, ReleasedChunk> reader;
  private final Supplier<MeteredEngine.Reading> engineReading;

  public StreamBenchmark(
      Settings settings,
      String inTopic,
      KafkaProducer<String, ReplyChunk> producer,
      KafkaConsumer<String, ReleasedChunk> reader,
      Supplier<MeteredEngine.Reading> engineReading) {
    this.settings = settings;
    this.inTopic = inTopic;
    this.producer = producer;
    this.reader = reader;
    this.engineReading = engineReading;
  }

  /** One run; stream ids start with {@code prefix} (unique per run). */
  public Run run(String prefix, List<StreamWorkload.Reply> replies) throws InterruptedException {
    int n = settings.streams();
    List<List<ReplyChunk>> streams = new ArrayList<>();
    List<Long> starts = new ArrayList<>();
    Map<String, String> textOf = new HashMap<>();
    long spread = Math.round(1e9 / settings.tokensPerSecond());
    for (int i = 0; i < n; i++) {
      StreamWorkload.Reply r = replies.get(i % replies.size());
      String id = prefix + i;
      streams.add(ReplyChunker.chunks(id, r.prompt(), r.text(), 1, System.currentTimeMillis()));
      starts.add(spread * i / n);
      textOf.put(id, r.text());
    }
    ChunkSchedule schedule = ChunkSchedule.of(streams, starts, settings.tokensPerSecond());
    Map<String, long[]> sentAt = new HashMap<>();
    streams.forEach(s -> sentAt.put(s.get(0).getStreamId(), new long[s.size()]));
    Map<String, List<Received>> received = new ConcurrentHashMap<>();
    Reader r = new Reader(received, n);
    Thread readerThread = new Thread(r, "bench-stream-reader");
    MeteredEngine.Reading before = engineReading.get();
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    readerThread.start();
    schedule.play(
        c -> {
          sentAt.get(c.getStreamId())[(int) c.getSeq()] = System.nanoTime();
          producer.send(new ProducerRecord<>(inTopic, c.getStreamId(), c));
        });
    producer.flush();
    r.deadline = System.nanoTime() + settings.drainTimeout().toNanos();
    readerThread.join();
    long t1 = Math.max(r.lastNanos, t0);
    long cpu1 = processCpuNanos();
    MeteredEngine.Reading engine = engineReading.get().minus(before);
    List<Double> lat = new ArrayList<>();
    long tokens = 0;
    for (List<ReplyChunk> s : streams) {
      String id = s.get(0).getStreamId();
      tokens += s.size();
      addLatencies(s, textOf.get(id), sentAt.get(id), received.getOrDefault(id, List.of()), lat);
    }
    double[] sorted = lat.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double wall = (t1 - t0) / 1e9;
    int cores = Runtime.getRuntime().availableProcessors();
    return new Run(
        sorted,
        tokens,
        sorted.length,
        r.finals,
        wall,
        (cpu1 - cpu0) / 1e9 / Math.max(1e-9, wall) / cores,
        engine,
        new TreeMap<>(r.actions));
  }

  /**
   * Latency of each sent token the user saw unchanged: from its chunk's send to the consumption of
   * the first released chunk that completes it, while the released text is a prefix of the reply.
   */
  static void addLatencies(
      List<ReplyChunk> sent, String reply, long[] sentAt, List<Received> out, List<Double> into) {
    List<Received> inOrder = new ArrayList<>(out);
    inOrder.sort((a, b) -> Long.compare(a.seq, b.seq));
    StringBuilder released = new StringBuilder();
    int token = 0;
    int tokenEnd = sent.isEmpty() ? 0 : sent.get(0).getText().length();
    for (Received c : inOrder) {
      released.append(c.text);
      if (released.length() > reply.length() || !reply.startsWith(released.toString())) {
        return; // repaired: what follows is armguard's text, not the chatbot's
      }
      while (token < sent.size() && tokenEnd <= released.length()) {
        into.add((c.nanos - sentAt[token]) / 1e6);
        token++;
        if (token < sent.size()) {
          tokenEnd += sent.get(token).getText().length();
        }
      }
    }
  }

  /** A released chunk as consumed. */
  record Received(long seq, String text, long nanos) {}

  /** Polls the output topic until every stream's final chunk came or the deadline passed. */
  private final class Reader implements Runnable {
    private final Map<String, List<Received>> received;
    private final int streams;
    volatile long deadline = Long.MAX_VALUE;
    volatile long lastNanos;
    volatile int finals;
    final Map<String, Integer> actions = new ConcurrentHashMap<>();

    Reader(Map<String, List<Received>> received, int streams) {
      this.received = received;
      this.streams = streams;
    }

    @Override
    public void run() {
      while (finals < streams && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, ReleasedChunk> rec : reader.poll(Duration.ofMillis(50))) {
          long now = System.nanoTime();
          ReleasedChunk c = rec.value();
          received
              .computeIfAbsent(c.getStreamId(), k -> new ArrayList<>())
              .add(new Received(c.getSeq(), c.getText(), now));
          if (c.getFinal$()) {
            actions.merge(String.valueOf(c.getAction()), 1, Integer::sum);
            finals++;
            lastNanos = now;
          }
        }
      }
    }
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }
}
