package io.armguard.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.armguard.config.ArmguardConfig;
import io.armguard.config.ClientProperties;
import io.armguard.serde.RegistryUnavailableException;
import io.armguard.streams.TopicTail;
import io.armguard.streams.TopologySerdes;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code armguard tail completions|audit|dlq}: prints one of armguard's output topics, Avro-decoded
 * through the schema registry (the dead-letter topic as Kafka Streams writes it: the original bytes
 * and the KIP-1034 error headers), as short lines or as one JSON object per record. Reads as a
 * bystander ({@link TopicTail}: assigned partitions, no consumer group, nothing committed).
 */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = {
      "Print the records of topic.completions, topic.audit or topic.dlq of a real cluster, decoded"
          + " (Avro through the schema registry; dead letters as their original bytes and Kafka's"
          + " error headers), with the service's configuration (--config FILE, ARMGUARD_*, -b / -r"
          + " / --set).",
      "Starts at the end of each partition (--from-beginning: at its start) and stops where the"
          + " topic ended when tail started, unless --follow. Never joins or commits to a consumer"
          + " group. Only committed records are read (read_committed).",
      "--json: one object per record: topic, partition, offset, timestamp, key, value (the"
          + " record's fields; for dlq the value as text or value_base64, and headers)."
    })
public final class TailCommand implements Callable<Integer> {

  /** The topics tail can read. */
  enum Topic {
    COMPLETIONS,
    AUDIT,
    DLQ
  }

  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  private static final Gson GSON =
      new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

  @Parameters(index = "0", paramLabel = "TOPIC", description = "completions, audit or dlq")
  Topic topic;

  @Mixin ClusterOptions cluster;

  @Option(
      names = {"-f", "--follow"},
      description = "keep reading new records until stopped (Ctrl-C), --max or --timeout")
  boolean follow;

  @Option(names = "--from-beginning", description = "start at each partition's first record")
  boolean fromBeginning;

  @Option(
      names = "--max",
      paramLabel = "N",
      description = "stop after this many records (with --id: matching ones)")
  Integer max;

  @Option(
      names = "--id",
      paramLabel = "ID",
      description = "only records of this request id (the record key)")
  String id;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description =
          "stop after this long, ISO-8601 (e.g. PT60S); exit code 1 if --max was not reached")
  Duration timeout;

  @Option(names = "--json", description = "one JSON object per record")
  boolean json;

  /** The open tail, for the shutdown hook's wakeup; set once by the reading thread. */
  private volatile TopicTail tail;

  @Override
  public Integer call() throws IOException {
    if (max != null && max < 1) {
      throw new IllegalArgumentException("--max must be at least 1");
    }
    ArmguardConfig config = cluster.config();
    if (topic != Topic.DLQ) {
      ClusterOptions.requireSharedRegistry(config);
    }
    if (!follow && !fromBeginning) {
      System.err.println(
          "tail: starting at the end without --follow reads nothing; add --from-beginning or"
              + " --follow");
    }
    String name = topicName(config);
    TopologySerdes serdes = topic == Topic.DLQ ? null : TopologySerdes.fromConfig(config);
    Counts counts = new Counts();
    CountDownLatch stopRequested = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    Thread stopper =
        new Thread(() -> stopOnShutdown(stopRequested, finished), "armguard-tail-stop");
    try {
      try (TopicTail opened = open(config, name)) {
        this.tail = opened;
        Runtime.getRuntime().addShutdownHook(stopper);
        read(opened, serdes, stopRequested, counts, System.out, System.err);
      }
      System.out.flush();
      System.err.printf(
          "tail: %d record%s from %s%s%n",
          counts.printed,
          counts.printed == 1 ? "" : "s",
          name,
          counts.undecodable > 0 ? ", " + counts.undecodable + " could not be decoded" : "");
    } finally {
      finished.countDown(); // after the summary: a shutdown hook waits for it
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running; it only waits for this thread to finish
      }
    }
    boolean maxNotReached = max != null && counts.printed < max && timeout != null;
    return counts.undecodable > 0 || maxNotReached ? 1 : 0;
  }

  /** What a run printed and what it could not decode. */
  private static final class Counts {
    int printed;
    int undecodable;
  }

  /**
   * Prints records until caught up (without --follow), --max, --timeout, a stop request or a closed
   * stdout. A record that cannot be decoded is reported and counted; a registry that cannot be
   * reached ends the run.
   */
  private void read(
      TopicTail tail,
      TopologySerdes serdes,
      CountDownLatch stopRequested,
      Counts counts,
      PrintStream out,
      PrintStream err)
      throws IOException {
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    while (stopRequested.getCount() > 0 && System.nanoTime() < deadline) {
      if (!follow && tail.caughtUp()) {
        return;
      }
      for (ConsumerRecord<byte[], byte[]> r : tail.poll(Duration.ofMillis(200))) {
        if (id != null && (r.key() == null || !id.equals(Utf8Text.decode(r.key())))) {
          continue;
        }
        try {
          print(r, serdes, out);
        } catch (KafkaException e) {
          if (RegistryUnavailableException.isCause(e)) {
            throw new IOException("schema registry unreachable: " + e.getMessage(), e);
          }
          if (!(e instanceof SerializationException)) {
            throw e;
          }
          err.printf(
              "tail: %s-%d@%d: cannot decode: %s%n",
              r.topic(), r.partition(), r.offset(), e.getMessage());
          counts.undecodable++;
          continue;
        }
        counts.printed++;
        if ((max != null && counts.printed >= max) || out.checkError()) {
          return; // checkError: stdout is gone (e.g. piped into head), stop following
        }
      }
    }
  }

  /**
   * The shutdown hook (Ctrl-C, SIGTERM): asks the reading thread to stop, ends its blocked poll,
   * and waits a little for it to print what it has and close the consumer.
   */
  private void stopOnShutdown(CountDownLatch stopRequested, CountDownLatch finished) {
    stopRequested.countDown();
    TopicTail reading = tail;
    if (reading != null && finished.getCount() > 0) {
      reading.wakeup();
    }
    try {
      finished.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private TopicTail open(ArmguardConfig config, String name) throws IOException {
    try {
      return new TopicTail(
          ClientProperties.consumer(config),
          name,
          fromBeginning ? TopicTail.Start.BEGINNING : TopicTail.Start.END,
          METADATA_TIMEOUT);
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new IOException(
          "no answer from the cluster at "
              + config.bootstrapServers()
              + " within "
              + METADATA_TIMEOUT.toSeconds()
              + " s ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  private String topicName(ArmguardConfig config) {
    return switch (topic) {
      case COMPLETIONS -> config.completionsTopic();
      case AUDIT -> config.auditTopic();
      case DLQ -> config.dlqTopic();
    };
  }

  private void print(ConsumerRecord<byte[], byte[]> r, TopologySerdes serdes, PrintStream out) {
    switch (topic) {
      case COMPLETIONS -> {
        var c = serdes.completion().deserializer().deserialize(r.topic(), r.value());
        if (json) {
          out.println(GSON.toJson(RecordJson.avro(r, c)));
        } else {
          RecordText.completion(c).forEach(out::println);
        }
      }
      case AUDIT -> {
        var a = serdes.audit().deserializer().deserialize(r.topic(), r.value());
        out.println(json ? GSON.toJson(RecordJson.avro(r, a)) : RecordText.audit(a));
      }
      case DLQ -> {
        if (json) {
          out.println(GSON.toJson(RecordJson.deadLetter(r)));
        } else {
          RecordText.deadLetter(r).forEach(out::println);
        }
      }
    }
  }
}
