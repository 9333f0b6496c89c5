package io.armguard.cli;

import io.armguard.config.ArmguardConfig;
import io.armguard.config.ClientProperties;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.Mode;
import io.armguard.schema.ReplyChunk;
import io.armguard.schema.Strategy;
import io.armguard.streams.ChunkSchedule;
import io.armguard.streams.ReplyChunker;
import io.armguard.streams.StreamSerdes;
import io.armguard.streams.TopologySerdes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code armguard produce}: writes GENERATE or MODERATE requests, Avro through the schema registry,
 * to the requests topic of the configured cluster, keyed by request id. Requests come from flags
 * (one) or from a JSON-lines file ({@link RequestLines}); a bad line is reported with its file and
 * line number and skipped, and the exit code is 1 if any line was bad or any write failed.
 */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description = {
      "Write requests to topic.requests of a real cluster (Avro through the schema registry, key ="
          + " request id), with the service's configuration: --config FILE and ARMGUARD_*"
          + " variables (security settings included), -b / -r / --set to override.",
      "One request from flags (--generate PROMPT, or --moderate --prompt P --reply R) or one per"
          + " line of a JSON-lines file (--input FILE, - = stdin) with GenerationRequest's field"
          + " names: {\"id\", \"prompt\", \"response\", \"mode\", \"strategy\", \"max_new_tokens\","
          + " \"top_k\", \"beta\", \"temperature\", \"seed\", \"toxicity_threshold\","
          + " \"conversation_id\", \"attributes\"} (mode: MODERATE when a response is given).",
      "Prints each written request id (--verbose: with topic-partition@offset). A missing id is"
          + " generated. Bad lines are reported as FILE:LINE and skipped; exit code 1 if any.",
      "--stream --reply TEXT [--prompt P]: replay one reply as a chatbot would stream it, to"
          + " topic.stream.in (ReplyChunk, key = stream id): token-sized chunks (--tokens-per-chunk),"
          + " --rate tokens per second, final=true on the last; prints the stream id."
    })
public final class ProduceCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Option(names = "--generate", paramLabel = "PROMPT", description = "one GENERATE request")
  String generate;

  @Option(
      names = "--moderate",
      description = "one MODERATE request: check --reply, the answer to --prompt")
  boolean moderate;

  @Option(names = "--prompt", paramLabel = "TEXT", description = "with --moderate: the user turn")
  String prompt;

  @Option(
      names = "--reply",
      paramLabel = "TEXT",
      description = "with --moderate: the reply to check")
  String reply;

  @Option(names = "--input", paramLabel = "FILE", description = "JSON-lines file; - = stdin")
  String input;

  @Option(
      names = "--id",
      paramLabel = "ID",
      description = "with flags: the request id (default: a random UUID)")
  String id;

  @Option(names = "--strategy", description = "with flags: ARM, RAD or UNGUIDED")
  Strategy strategy;

  @Option(
      names = "--max-new-tokens",
      paramLabel = "N",
      description = "with flags: the generation budget")
  Integer maxNewTokens;

  @Option(names = "--seed", paramLabel = "N", description = "with flags: the sampler's seed")
  Long seed;

  @Option(
      names = "--stream",
      description = "stream --reply as chunks to topic.stream.in (--prompt: the user turn)")
  boolean stream;

  @Option(
      names = "--rate",
      paramLabel = "TOKENS_PER_S",
      defaultValue = "20",
      description = "with --stream: tokens per second (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(
      names = "--tokens-per-chunk",
      paramLabel = "N",
      defaultValue = "1",
      description = "with --stream: tokens per chunk (default: ${DEFAULT-VALUE})")
  int tokensPerChunk;

  @Option(
      names = "--holdback-tokens",
      paramLabel = "N",
      description =
          "with --stream: this stream's hold-back (ReplyChunk.holdback_tokens on seq 0; default:"
              + " the service's stream.holdback.tokens)")
  Integer holdbackTokens;

  @Option(
      names = "--threshold",
      paramLabel = "P",
      description =
          "with --stream: this stream's toxicity threshold (ReplyChunk.toxicity_threshold on seq"
              + " 0; default: the service's)")
  Float streamThreshold;

  @Option(
      names = "--on-flag",
      paramLabel = "ACTION",
      description =
          "with --stream: rewrite, redact or block (ReplyChunk.on_flag on seq 0; default: the"
              + " service's stream.on.flag)")
  String onFlag;

  @Option(names = "--verbose", description = "print topic-partition@offset with each id")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    checkOptions();
    ArmguardConfig config = cluster.config();
    PrintStream err = System.err;
    ClusterOptions.requireSharedRegistry(config);
    Map<String, Object> props = ClientProperties.producer(config);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    if (stream) {
      return streamReply(config, props, err);
    }
    TopologySerdes serdes = TopologySerdes.fromConfig(config);
    Sent sent = new Sent(config.requestsTopic(), verbose, System.out, err);
    int bad = 0;
    try (KafkaProducer<String, GenerationRequest> producer =
        new KafkaProducer<>(props, new StringSerializer(), serdes.request().serializer())) {
      if (input == null) {
        sent.send(producer, fromFlags());
      } else {
        bad = fromLines(producer, sent, err);
      }
      producer.flush();
    } catch (KafkaException e) { // e.g. the registry refused the schema: nothing more can go out
      err.println("produce: " + e.getMessage());
      sent.failed.incrementAndGet();
    }
    err.printf(
        "produce: %d written to %s%s%s%n",
        sent.written.get(),
        config.requestsTopic(),
        bad > 0 ? ", " + bad + " bad line" + (bad == 1 ? "" : "s") + " skipped" : "",
        sent.failed.get() > 0 ? ", " + sent.failed.get() + " failed" : "");
    return bad > 0 || sent.failed.get() > 0 ? 1 : 0;
  }

  private void checkOptions() {
    int sources =
        (generate != null ? 1 : 0)
            + (moderate ? 1 : 0)
            + (input != null ? 1 : 0)
            + (stream ? 1 : 0);
    if (sources != 1) {
      throw usage("give exactly one of --generate PROMPT, --moderate, --stream or --input FILE");
    }
    if (moderate && (prompt == null || reply == null)) {
      throw usage("--moderate needs --prompt and --reply");
    }
    if (stream && reply == null) {
      throw usage("--stream needs --reply (and optionally --prompt)");
    }
    if (!moderate && !stream && (prompt != null || reply != null)) {
      throw usage("--prompt and --reply go with --moderate or --stream");
    }
    if (!stream && (holdbackTokens != null || streamThreshold != null || onFlag != null)) {
      throw usage("--holdback-tokens, --threshold and --on-flag go with --stream");
    }
    if (stream && (strategy != null || maxNewTokens != null || seed != null)) {
      throw usage("--strategy, --max-new-tokens and --seed do not go with --stream");
    }
    if (!(rate > 0) || tokensPerChunk < 1) {
      throw usage("--rate must be > 0 and --tokens-per-chunk >= 1");
    }
    if (input != null && (id != null || strategy != null || maxNewTokens != null || seed != null)) {
      throw usage(
          "--id, --strategy, --max-new-tokens and --seed go with flags; in --input"
              + " give them per line");
    }
  }

  /**
   * {@code --stream}: the reply's chunks at {@code --rate}, each acknowledged before the exit code
   * is decided; a chunk that fails is reported (the stream then has a gap the service closes as
   * {@code missing-seq}).
   */
  private int streamReply(ArmguardConfig config, Map<String, Object> props, PrintStream err) {
    String streamId = id == null ? UUID.randomUUID().toString() : id;
    String topic = config.string(ArmguardConfig.TOPIC_STREAM_IN);
    List<ReplyChunk> chunks =
        ReplyChunker.chunks(
            streamId,
            prompt == null ? "" : prompt,
            reply,
            tokensPerChunk,
            System.currentTimeMillis());
    // per-stream settings travel on the first chunk only; the service validates them (REJECTED)
    ReplyChunk first = chunks.get(0);
    first.setHoldbackTokens(holdbackTokens);
    first.setToxicityThreshold(streamThreshold);
    first.setOnFlag(onFlag);
    AtomicInteger written = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    try (KafkaProducer<String, ReplyChunk> producer =
        new KafkaProducer<>(
            props, new StringSerializer(), StreamSerdes.fromConfig(config).chunk().serializer())) {
      ChunkSchedule.of(List.of(chunks), List.of(0L), rate)
          .play(
              c ->
                  producer.send(
                      new ProducerRecord<>(topic, streamId, c),
                      (meta, e) -> {
                        if (e != null) {
                          failed.incrementAndGet();
                          err.println(
                              "produce: " + streamId + " seq " + c.getSeq() + " not written: " + e);
                        } else {
                          written.incrementAndGet();
                          if (verbose) {
                            err.println(
                                streamId
                                    + " seq "
                                    + c.getSeq()
                                    + " "
                                    + meta.topic()
                                    + "-"
                                    + meta.partition()
                                    + "@"
                                    + meta.offset());
                          }
                        }
                      }));
      producer.flush();
    } catch (KafkaException e) {
      err.println("produce: " + e.getMessage());
      failed.incrementAndGet();
    }
    System.out.println(streamId);
    err.printf(
        "produce: stream %s: %d of %d chunks written to %s%s%n",
        streamId,
        written.get(),
        chunks.size(),
        topic,
        failed.get() > 0 ? ", " + failed.get() + " failed" : "");
    return failed.get() > 0 || written.get() != chunks.size() ? 1 : 0;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  private GenerationRequest fromFlags() {
    GenerationRequest.Builder b =
        RequestLines.base(
            id == null ? UUID.randomUUID().toString() : id, System.currentTimeMillis());
    if (moderate) {
      b.setMode(Mode.MODERATE).setPrompt(prompt).setResponse(reply);
    } else {
      b.setMode(Mode.GENERATE).setPrompt(generate);
    }
    return b.setStrategy(strategy).setMaxNewTokens(maxNewTokens).setSeed(seed).build();
  }

  /** Sends every good line; returns the number of bad ones (each reported on {@code err}). */
  private int fromLines(
      KafkaProducer<String, GenerationRequest> producer, Sent sent, PrintStream err)
      throws IOException {
    boolean stdin = "-".equals(input);
    RequestLines.Context ctx =
        new RequestLines.Context(
            stdin ? "stdin" : input,
            () -> UUID.randomUUID().toString(),
            System.currentTimeMillis());
    int bad = 0;
    try (BufferedReader lines =
        stdin
            ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
            : Files.newBufferedReader(Path.of(input), StandardCharsets.UTF_8)) {
      String line;
      int lineNo = 0;
      while ((line = lines.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        try {
          sent.send(producer, RequestLines.parse(line, lineNo, ctx));
        } catch (RequestLines.BadLine e) {
          err.println("produce: " + e.getMessage());
          bad++;
        }
      }
    }
    return bad;
  }

  /** Writes and acknowledges requests; the counters are updated on the producer's I/O thread. */
  private static final class Sent {
    final AtomicInteger written = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    private final String topic;
    private final boolean verbose;
    private final PrintStream out;
    private final PrintStream err;

    Sent(String topic, boolean verbose, PrintStream out, PrintStream err) {
      this.topic = topic;
      this.verbose = verbose;
      this.out = out;
      this.err = err;
    }

    void send(KafkaProducer<String, GenerationRequest> producer, GenerationRequest r) {
      String key = r.getRequestId();
      producer.send(
          new ProducerRecord<>(topic, key, r),
          (meta, e) -> {
            if (e != null) {
              failed.incrementAndGet();
              err.println("produce: " + key + " not written: " + e.getMessage());
            } else {
              written.incrementAndGet();
              out.println(
                  verbose
                      ? key + " " + meta.topic() + "-" + meta.partition() + "@" + meta.offset()
                      : key);
            }
          });
    }
  }
}
