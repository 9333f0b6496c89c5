package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.config.ArmguardConfig;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.GenerationRequest;
import io.armguard.testing.ApicurioRegistry;
import io.armguard.testing.ArmguardProcess;
import io.armguard.testing.BrokerProcess;
import io.armguard.testing.TcpProxy;
import io.armguard.testing.TransactionWatch;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exactly-once system test, in the spirit of Kafka's {@code streams_eos_test}, with every part
 * its own process on loopback: a KRaft broker, Apicurio as the schema registry (behind a TCP proxy
 * that can be cut), and two {@code armguard run} JVMs. Requests arrive at a steady rate while one
 * instance is SIGKILLed and restarted, the broker is bounced, the other instance is SIGKILLed and
 * restarted, and the first is SIGKILLed for good; a read_committed consumer then sees exactly one
 * completion and one audit per request and no dead letter. A second run starts an instance with a
 * cold schema cache during a registry outage: nothing is dead-lettered, {@code /ready} says why it
 * is not ready, and every request is answered once the registry is back. Prints the fail-over
 * figures it measures.
 */
class ExactlyOnceSystemIT {

  private static final int PARTITIONS = 4;

  // kept when a test fails: the instances' and the broker's logs are in it
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path tmp;

  static ApicurioRegistry registry;
  static TcpProxy registryProxy;
  static BrokerProcess broker;

  @BeforeAll
  static void start() throws Exception {
    registry = ApicurioRegistry.startOrSkip();
    registryProxy = new TcpProxy(URI.create(registry.url()).getPort());
    broker = BrokerProcess.start(tmp.resolve("broker"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (broker != null) {
      broker.close();
    }
    if (registryProxy != null) {
      registryProxy.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  /**
   * Standby replicas the instances run with: the shipped default (0), or {@code
   * -Darmguard.eos.standbys=N} to measure fail-over with warm copies of the buffer stores.
   */
  private static final String STANDBYS = System.getProperty("armguard.eos.standbys", "0");

  /** The settings both instances of one application run with (registry through the proxy). */
  private static Map<String, String> settings(String app) {
    String proxied = registry.url().replaceFirst(":\\d+/", ":" + registryProxy.port() + "/");
    return Map.ofEntries(
        Map.entry("application.id", app),
        Map.entry("bootstrap.servers", broker.bootstrapServers()),
        Map.entry("schema.registry.url", proxied),
        Map.entry("schema.registry.retry.max.ms", "2000"),
        Map.entry("topic.requests", app + ".requests"),
        Map.entry("topic.completions", app + ".completions"),
        Map.entry("topic.audit", app + ".audit"),
        Map.entry("topic.dlq", app + ".dlq"),
        Map.entry("batch.size", "4"),
        Map.entry("batch.max.delay.ms", "50"),
        Map.entry("device", "cpu"),
        Map.entry("model.lm.dir", Path.of("models/lm").toAbsolutePath().toString()),
        Map.entry("model.reward.dir", Path.of("models/arm").toAbsolutePath().toString()),
        Map.entry("model.rad.dir", ""),
        Map.entry("rewrite.max.attempts", "1"),
        Map.entry("num.standby.replicas", STANDBYS));
  }

  /** What the test's producer and consumer use: the same topics, the registry directly. */
  private static ArmguardConfig clientConfig(String app) throws Exception {
    Map<String, String> s = new java.util.HashMap<>(settings(app));
    s.put("schema.registry.url", registry.url());
    s.remove("schema.registry.retry.max.ms");
    s.put("model.rad.dir", "");
    ArmguardConfig c = ArmguardConfig.from(s, Map.of());
    broker.createTopics(
        PARTITIONS, List.of(c.requestsTopic(), c.completionsTopic(), c.auditTopic(), c.dlqTopic()));
    return c;
  }

  private static GenerationRequest request(int i) {
    return i % 5 == 4
        ? TestRequests.moderate("m" + i, "How was your day?", "Fine, and you are an idiot.")
        : TestRequests.generate("g" + i, "Request number " + i + " says");
  }

  private static KafkaProducer<String, GenerationRequest> producer(
      ArmguardConfig c, TopologySerdes serdes) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            c.bootstrapServers(),
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            120_000),
        new StringSerializer(),
        serdes.request().serializer());
  }

  @Test
  void everyRequestIsAnsweredExactlyOnceThroughTwoKillsAndABrokerBounce() throws Exception {
    String app = "eos";
    AtomicBoolean feederDone = new AtomicBoolean();
    ArmguardConfig c = clientConfig(app);
    TopologySerdes serdes = TopologySerdes.fromConfig(c);
    try (ArmguardProcess a = new ArmguardProcess(tmp.resolve("a"), "a", settings(app)).start();
        ArmguardProcess b = new ArmguardProcess(tmp.resolve("b"), "b", settings(app)).start();
        KafkaProducer<String, GenerationRequest> producer = producer(c, serdes);
        OutputCollector out = new OutputCollector(c, serdes, PARTITIONS);
        // which transaction holds offsets pending, should a restart stall (kept with the logs)
        TransactionWatch transactions =
            TransactionWatch.start(broker, tmp.resolve("transactions.log"))) {
      a.awaitReady(Duration.ofSeconds(120));
      b.awaitReady(Duration.ofSeconds(120));

      // a steady 10 requests/s from the start until 8 s after the last fault, however long the
      // restarts take on a loaded machine
      AtomicReference<Throwable> producerError = new AtomicReference<>();
      AtomicInteger produced = new AtomicInteger();
      // one request every 100 ms on a scheduler (fixed rate: a slow send does not shift the rest)
      java.util.concurrent.ScheduledExecutorService feeder =
          java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "eos-feeder");
                t.setDaemon(true); // a failing test must not leave the JVM feeding
                return t;
              });
      feeder.scheduleAtFixedRate(
          () -> {
            if (producerError.get() != null) {
              return;
            }
            try {
              GenerationRequest r = request(produced.get());
              producer.send(new ProducerRecord<>(c.requestsTopic(), r.getRequestId(), r));
              produced.incrementAndGet();
            } catch (Throwable t) { // an Error too: the test must not wait on a dead feeder
              producerError.set(t);
            }
          },
          0,
          100,
          java.util.concurrent.TimeUnit.MILLISECONDS);
      // the read_committed consumer polls all along on its own thread: receipt times are when
      // output became visible downstream
      AtomicBoolean reached = new AtomicBoolean();
      Thread collector =
          new Thread(
              () -> {
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (System.nanoTime() < deadline
                    && !(feederDone.get()
                        && out.completions().size() >= produced.get()
                        && out.audits().size() >= produced.get())) {
                  out.await(0, 0, 0, Duration.ZERO, Duration.ofMillis(200), x -> {});
                }
                reached.set(feederDone.get() && out.completions().size() >= produced.get());
                out.await(0, 0, 0, Duration.ZERO, Duration.ofSeconds(5), x -> {}); // duplicates?
              },
              "eos-collector");
      collector.start();
      List<String> figures = new ArrayList<>();
      long start = System.currentTimeMillis();
      sleepUntil(start + 6_000);
      long killA = System.currentTimeMillis();
      a.kill();
      a.start();
      figures.add("kill a -> a ready: " + ms(a.awaitReady(Duration.ofSeconds(120))) + " ms");
      sleepUntil(start + 15_000);
      long bounce = System.currentTimeMillis();
      broker.restart();
      figures.add("broker bounce: " + (System.currentTimeMillis() - bounce) + " ms");
      sleepUntil(start + 24_000);
      long killB = System.currentTimeMillis();
      b.kill();
      b.start();
      figures.add("kill b -> b ready: " + ms(b.awaitReady(Duration.ofSeconds(120))) + " ms");
      // a crash that is not followed by a restart: b takes over after the session timeout, and the
      // dead instance's open transaction is aborted by the broker after transaction.timeout.ms
      sleepUntil(start + 32_000);
      long killForGood = System.currentTimeMillis();
      a.kill();
      sleepUntil(killForGood + 8_000);
      feeder.shutdown();
      assertTrue(feeder.awaitTermination(120, java.util.concurrent.TimeUnit.SECONDS));
      producer.flush();
      feederDone.set(true);
      assertEquals(null, producerError.get(), "producer failed");
      collector.join(360_000);
      int total = produced.get();

      assertTrue(
          reached.get(),
          "answered "
              + out.completions().size()
              + " of "
              + total
              + "; logs: "
              + a.log()
              + " "
              + b.log());
      Map<String, Long> perCompletion =
          count(out.completions().stream().map(r -> r.completion().getRequestId()).toList());
      Map<String, Long> perAudit =
          count(out.audits().stream().map(AuditRecord::getRequestId).toList());
      assertEquals(total, perCompletion.size(), "every request answered");
      assertEquals(
          Map.of(), filterAbove1(perCompletion), "no request answered twice (completions)");
      assertEquals(total, perAudit.size(), "every request audited");
      assertEquals(Map.of(), filterAbove1(perAudit), "no request audited twice");
      assertEquals(0, out.deadLetters().size(), "nothing dead-lettered");

      figures.add("visible output gap after kill a: " + gapAfter(out, killA, 8_000) + " ms");
      figures.add(
          "visible output gap after broker bounce: " + gapAfter(out, bounce, 8_000) + " ms");
      figures.add("visible output gap after kill b: " + gapAfter(out, killB, 8_000) + " ms");
      figures.add(
          "visible output gap after a is killed for good: "
              + gapAfter(out, killForGood, 40_000)
              + " ms");
      System.out.println(
          "exactly-once system test, "
              + total
              + " requests, num.standby.replicas="
              + STANDBYS
              + ": "
              + figures);
    }
  }

  @Test
  void aColdStartDuringARegistryOutageDeadLettersNothing() throws Exception {
    String app = "cold";
    int total = 60;
    ArmguardConfig c = clientConfig(app);
    TopologySerdes serdes = TopologySerdes.fromConfig(c);
    try (KafkaProducer<String, GenerationRequest> producer = producer(c, serdes)) {
      for (int i = 0; i < total; i++) {
        GenerationRequest r = request(i);
        producer.send(new ProducerRecord<>(c.requestsTopic(), r.getRequestId(), r));
      }
      producer.flush();
    }
    registryProxy.cut();
    try (ArmguardProcess a = new ArmguardProcess(tmp.resolve("cold-a"), "a", settings(app));
        OutputCollector out = new OutputCollector(c, serdes, PARTITIONS)) {
      a.start();
      ArmguardProcess.Answer held = awaitNotReadyFor(a, "schema registry", Duration.ofSeconds(120));
      assertEquals(503, held.status(), held.body());
      // the instance has read its requests and holds them: none answered, none dead-lettered
      out.await(0, 0, 0, Duration.ZERO, Duration.ofSeconds(3), x -> {});
      assertEquals(0, out.deadLetters().size(), "a valid request is never dead-lettered");
      assertEquals(0, out.completions().size());

      long restored = System.nanoTime();
      registryProxy.restore();
      assertTrue(
          out.await(total, total, 0, Duration.ofSeconds(120), Duration.ofSeconds(3), x -> {}),
          "answered " + out.completions().size() + " of " + total + "; log: " + a.log());
      long answeredMs = ms(Duration.ofNanos(System.nanoTime() - restored));
      assertEquals(total, count(ids(out)).size());
      assertEquals(Map.of(), filterAbove1(count(ids(out))), "answered once each");
      assertEquals(0, out.deadLetters().size(), "nothing dead-lettered");
      a.awaitReady(Duration.ofSeconds(30));
      System.out.println(
          "registry-outage cold start: 0 dead letters of "
              + total
              + ", all answered "
              + answeredMs
              + " ms after the registry returned; /ready while held: "
              + held.body().replace('\n', '|'));

      // Liveness vs readiness with no broker, and a bounded shutdown (shutdown.timeout.ms=10 s).
      broker.halt();
      try {
        ArmguardProcess.Answer noBroker = awaitNotReadyFor(a, "broker", Duration.ofSeconds(60));
        assertEquals(200, a.health().status(), "live: a restart would not bring the broker back");
        Duration stop = a.stop();
        System.out.println(
            "broker down: /ready "
                + noBroker.status()
                + " ("
                + noBroker.body().replace('\n', '|')
                + "); SIGTERM took "
                + stop.toMillis()
                + " ms");
        assertTrue(stop.compareTo(Duration.ofSeconds(20)) < 0, "shutdown bounded: " + stop);
      } finally {
        broker.resume();
      }
    } finally {
      registryProxy.restore();
    }
  }

  /**
   * A streaming case: replies stream in at 10 tokens/s to one instance, which is SIGKILLed once
   * every stream has had text released and none has ended, and restarted. A read_committed reader
   * of the output topic then sees, per stream, output seqs 0..n-1 each exactly once with the final
   * chunk last, released text that is a prefix of the reply as received (all of it for an ALLOWED
   * one), the toxic word of the turning-toxic reply never shown, and one stream audit each.
   */
  @Test
  void streamsFollowedThroughAKillAreReleasedOnceAndAsAPrefix() throws Exception {
    String app = "streamkill";
    Map<String, String> settings = new java.util.HashMap<>(settings(app));
    settings.putAll(
        Map.of(
            "stream.enabled", "true",
            "topic.stream.in", app + ".stream.in",
            "topic.stream.out", app + ".stream.out",
            "stream.holdback.tokens", "4",
            // the restart must not look like a silent stream
            "stream.idle.timeout.ms", "180000"));
    ArmguardConfig c = clientConfig(app);
    String in = app + ".stream.in";
    String outTopic = app + ".stream.out";
    broker.createTopics(PARTITIONS, List.of(in, outTopic));
    StreamSerdes streamSerdes = StreamSerdes.fromConfig(c);
    Map<String, String> replies = new java.util.LinkedHashMap<>();
    List<List<io.armguard.schema.ReplyChunk>> streams = new ArrayList<>();
    List<io.armguard.bench.StreamWorkload.Reply> workload =
        new ArrayList<>(io.armguard.bench.StreamWorkload.replies(7));
    workload.add(
        new io.armguard.bench.StreamWorkload.Reply(
            "What do you think of my code?",
            "Thanks for sharing it. The structure is fine and the tests are easy to follow, but"
                + " honestly you are an idiot and this is garbage."));
    for (int i = 0; i < workload.size(); i++) {
      String id = "kill-stream-" + i;
      replies.put(id, workload.get(i).text());
      streams.add(
          ReplyChunker.chunks(
              id, workload.get(i).prompt(), workload.get(i).text(), 1, System.currentTimeMillis()));
    }
    String toxic = "kill-stream-" + (workload.size() - 1);
    // about 13 s per clean reply; the short toxic one starts 4 s in, so it runs across the kill
    List<Long> starts = new ArrayList<>(streams.stream().map(x -> 0L).toList());
    starts.set(starts.size() - 1, 4_000_000_000L);
    ChunkSchedule schedule = ChunkSchedule.of(streams, starts, 10);
    Map<String, List<io.armguard.schema.ReleasedChunk>> released =
        new java.util.concurrent.ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (ArmguardProcess a = new ArmguardProcess(tmp.resolve("sk-a"), "a", settings).start();
        KafkaProducer<String, io.armguard.schema.ReplyChunk> producer =
            new KafkaProducer<>(
                Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    c.bootstrapServers(),
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    true,
                    ProducerConfig.ACKS_CONFIG,
                    "all"),
                new StringSerializer(),
                streamSerdes.chunk().serializer());
        org.apache.kafka.clients.consumer.KafkaConsumer<String, io.armguard.schema.ReleasedChunk>
            reader =
                new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                    Map.of(
                        "bootstrap.servers",
                        c.bootstrapServers(),
                        "isolation.level",
                        "read_committed"),
                    new org.apache.kafka.common.serialization.StringDeserializer(),
                    streamSerdes.released().deserializer());
        OutputCollector audits = new OutputCollector(c, TopologySerdes.fromConfig(c), PARTITIONS)) {
      // a topic just created may not be in the metadata yet: wait until all its partitions are
      assertTrue(
          awaitCondition(
              () -> reader.partitionsFor(outTopic).size() == PARTITIONS, Duration.ofSeconds(30)),
          outTopic + " has no metadata");
      var parts =
          reader.partitionsFor(outTopic).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(outTopic, p.partition()))
              .toList();
      reader.assign(parts);
      reader.seekToBeginning(parts);
      a.awaitReady(Duration.ofSeconds(120));
      Thread feeder =
          new Thread(
              () -> {
                try {
                  schedule.play(
                      ch -> producer.send(new ProducerRecord<>(in, ch.getStreamId(), ch)));
                  producer.flush();
                } catch (Throwable t) {
                  failure.set(t);
                }
              },
              "stream-feeder");
      Thread collector =
          new Thread(
              () -> {
                try {
                  while (!stop.get()) {
                    reader
                        .poll(Duration.ofMillis(100))
                        .forEach(
                            r ->
                                released
                                    .computeIfAbsent(
                                        r.key(),
                                        k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                                    .add(r.value()));
                  }
                } catch (Throwable t) {
                  failure.set(t);
                }
              },
              "stream-reader");
      feeder.start();
      collector.start();
      // mid-stream: every clean stream has had text released, none has ended
      List<String> clean = new ArrayList<>(replies.keySet()).subList(0, streams.size() - 1);
      boolean midStream =
          awaitCondition(
              () ->
                  clean.stream().allMatch(released::containsKey)
                      && released.values().stream()
                          .flatMap(List::stream)
                          .noneMatch(io.armguard.schema.ReleasedChunk::getFinal$),
              Duration.ofSeconds(60));
      assertTrue(
          midStream,
          "released so far: "
              + released
              + "; feeder/reader: "
              + failure.get()
              + "; log tail: "
              + logTail(a.log()));
      a.kill();
      a.start();
      Duration restart = a.awaitReady(Duration.ofSeconds(120));
      feeder.join(120_000);
      boolean ended =
          awaitCondition(
              () ->
                  released.values().stream()
                          .filter(l -> l.stream().anyMatch(x -> x.getFinal$()))
                          .count()
                      == streams.size(),
              Duration.ofSeconds(180));
      // a duplicate would come after the final chunk: read on a little before judging
      audits.await(0, 0, 0, Duration.ZERO, Duration.ofSeconds(3), x -> {});
      stop.set(true);
      collector.join(10_000);
      assertEquals(null, failure.get(), "feeder or reader failed");
      assertTrue(ended, "ended: " + released.keySet() + "; log tail: " + logTail(a.log()));

      Map<String, Long> streamAudits =
          count(
              audits.audits().stream()
                  .filter(x -> "stream".equals(x.getStage()))
                  .map(AuditRecord::getRequestId)
                  .toList());
      for (Map.Entry<String, String> e : replies.entrySet()) {
        List<io.armguard.schema.ReleasedChunk> got = released.get(e.getKey());
        List<Long> seqs = got.stream().map(io.armguard.schema.ReleasedChunk::getSeq).toList();
        assertEquals(
            java.util.stream.LongStream.range(0, got.size()).boxed().toList(),
            seqs,
            e.getKey() + ": output seqs once each, in order, no gap");
        assertEquals(
            List.of(got.size() - 1),
            java.util.stream.IntStream.range(0, got.size())
                .filter(i -> got.get(i).getFinal$())
                .boxed()
                .toList(),
            e.getKey() + ": one final chunk, the last");
        StringBuilder beforeFinal = new StringBuilder();
        got.subList(0, got.size() - 1).forEach(x -> beforeFinal.append(x.getText()));
        assertTrue(
            e.getValue().startsWith(beforeFinal.toString()),
            e.getKey() + ": released text is a prefix of the reply: " + beforeFinal);
        io.armguard.schema.ReleasedChunk last = got.get(got.size() - 1);
        if (last.getAction() == io.armguard.schema.Action.ALLOWED) {
          assertEquals(e.getValue(), beforeFinal + last.getText(), e.getKey() + ": all of it");
        }
        assertEquals(1L, streamAudits.get(e.getKey()), e.getKey() + ": one stream audit");
      }
      String shownToxic =
          released.get(toxic).stream()
              .map(io.armguard.schema.ReleasedChunk::getText)
              .collect(Collectors.joining());
      assertTrue(!shownToxic.contains("idiot"), "the toxic word was shown: " + shownToxic);
      System.out.println(
          "streaming kill test: "
              + streams.size()
              + " streams, killed mid-stream, ready again after "
              + restart.toMillis()
              + " ms; actions "
              + released.values().stream()
                  .map(l -> String.valueOf(l.get(l.size() - 1).getAction()))
                  .sorted()
                  .toList());
    } finally {
      stop.set(true);
    }
  }

  /** The last lines of a log, for a failure message (the temporary directory goes away). */
  private static String logTail(Path log) {
    try {
      List<String> lines = java.nio.file.Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (java.io.IOException e) {
      return "(" + log + " unreadable: " + e + ")";
    }
  }

  /** Polls {@code condition} every 100 ms until it holds or {@code timeout} passes. */
  private static boolean awaitCondition(
      java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(100);
    }
    return condition.getAsBoolean();
  }

  private static List<String> ids(OutputCollector out) {
    return out.completions().stream().map(r -> r.completion().getRequestId()).toList();
  }

  private static ArmguardProcess.Answer awaitNotReadyFor(
      ArmguardProcess p, String check, Duration timeout) throws InterruptedException {
    return p.awaitReadiness(
        a -> a.status() == 503 && a.body().contains("NOT OK " + check),
        timeout,
        "reporting NOT OK " + check);
  }

  /**
   * Longest pause between two consecutive completions becoming visible to the read_committed
   * consumer (receipt time) in the {@code windowMs} after {@code fromMs}, the fault; requests
   * arrive every 100 ms until the feeder ends, so a pause is output held back by the fault.
   */
  private static long gapAfter(OutputCollector out, long fromMs, long windowMs) {
    List<Long> times =
        out.completions().stream()
            .map(OutputCollector.Received::receivedWallMs)
            .sorted()
            .collect(Collectors.toList());
    long longest = 0;
    long previous = fromMs;
    for (long t : times) {
      if (t < fromMs) {
        continue;
      }
      longest = Math.max(longest, t - previous);
      previous = t;
      if (t - fromMs > windowMs) {
        break;
      }
    }
    return longest;
  }

  /** Waits for a point of the fault schedule (a schedule, not a condition). */
  private static void sleepUntil(long wallMs) throws InterruptedException {
    long wait = wallMs - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }

  private static long ms(Duration d) {
    return d.toMillis();
  }

  private static Map<String, Long> count(List<String> ids) {
    return ids.stream()
        .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
  }

  private static Map<String, Long> filterAbove1(Map<String, Long> counts) {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach(
        (k, v) -> {
          if (v > 1) {
            out.put(k, v);
          }
        });
    return out;
  }
}
