package io.armguard.cli;

import io.armguard.config.ArmguardConfig;
import io.armguard.decode.GuidedEngine;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.Completion;
import io.armguard.schema.GenerationRequest;
import io.armguard.streams.OfflineModeration;
import io.armguard.streams.OutcomeRecords;
import io.armguard.streams.OutputCollector;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code armguard demo}: the whole service on one machine with no network: an in-process KRaft
 * broker, the in-memory schema registry, the default models; produces a fixed set of requests and
 * prints what comes back, ending with one JSON summary line counted on the output topics.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run armguard end to end on this machine: an in-process single-node Kafka broker (KRaft,"
          + " data in a temp dir), the in-memory schema registry (mock://), and the models in"
          + " model.lm.dir / model.reward.dir (small random models if they are missing).",
      "Produces GENERATE and MODERATE requests (some toxic-prone), invalid ones and one"
          + " undecodable record; prints each completion with a one-line audit summary and ends"
          + " with {\"demo\":\"done\",\"requests\":N,\"completions\":N,\"audits\":N,"
          + "\"dead_letters\":M,\"streams\":2,\"streams_ended\":2}.",
      "Then streams a clean and a turning-toxic reply token by token through the streaming"
          + " topology and prints what the user sees, chunk by chunk."
    })
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--config", description = "properties file (defaults otherwise; env overrides)")
  Path configFile;

  @Option(
      names = "--timeout",
      defaultValue = "PT5M",
      description = "how long to wait for all answers, ISO-8601 (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(
      names = "--show-records",
      description = "also print each request, completion and audit record in full (Avro JSON)")
  boolean showRecords;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    PrintStream log = System.err;
    // The demo narrates itself on stderr ("armguard: ..."); armguard's own INFO lines would repeat
    // it. Warnings and errors still show.
    org.apache.logging.log4j.core.config.Configurator.setLevel(
        "io.armguard", org.apache.logging.log4j.Level.WARN);
    ArmguardConfig config =
        ArmguardConfig.loadOrDefaults(configFile)
            .with(
                Map.of(
                    ArmguardConfig.APPLICATION_ID, "armguard-demo",
                    ArmguardConfig.HTTP_PORT, "0",
                    ArmguardConfig.BATCH_MAX_DELAY_MS, "200",
                    ArmguardConfig.STREAM_ENABLED, "true"));
    List<GenerationRequest> requests = SampleRequests.all();
    try (ServiceModels models = ServiceModels.load(config, true, log);
        EmbeddedPipeline pipeline = EmbeddedPipeline.start(config, models, 1, log)) {
      log.printf(
          "armguard: models %s; /health /ready /metrics on http://localhost:%d%n",
          models.description(), pipeline.service().httpPort());
      ArmguardConfig running = pipeline.config();
      try (KafkaProducer<String, GenerationRequest> producer = pipeline.requestProducer();
          KafkaProducer<byte[], byte[]> raw = pipeline.rawProducer()) {
        for (GenerationRequest r : requests) {
          producer.send(new ProducerRecord<>(running.requestsTopic(), r.getRequestId(), r));
        }
        raw.send(
            new ProducerRecord<>(
                running.requestsTopic(), "not-avro".getBytes(), SampleRequests.UNDECODABLE));
        producer.flush();
        raw.flush();
      }
      log.printf(
          "armguard: produced %d requests + 1 undecodable record to %s%n",
          requests.size(), running.requestsTopic());
      int n = requests.size();
      try (OutputCollector collector = new OutputCollector(running, pipeline.serdes(), 1)) {
        boolean complete;
        try (ProgressBar bar =
            TerminalProgress.quietOffTerminal(
                    new ProgressBarBuilder()
                        .setTaskName("answers")
                        .setInitialMax(n)
                        .setStyle(ProgressBarStyle.ASCII))
                .build()) {
          complete = collector.await(n, n, 1, timeout, Duration.ofSeconds(2), c -> bar.step());
        }
        Map<String, AuditRecord> audits = new HashMap<>();
        collector.audits().forEach(a -> audits.put(a.getRequestId(), a));
        Map<String, GenerationRequest> byId = new HashMap<>();
        requests.forEach(r -> byId.put(r.getRequestId(), r));
        for (OutputCollector.Received r : collector.completions()) {
          String id = r.completion().getRequestId();
          print(out, r.completion(), audits.get(id));
          if (showRecords) {
            out.println("    request:    " + byId.get(id));
            out.println("    completion: " + r.completion());
            out.println("    audit:      " + audits.get(id));
          }
        }
        collector
            .deadLetters()
            .forEach(
                d ->
                    out.printf(
                        "[dead letter] %s-%d@%d: %s%n",
                        d.topic(),
                        d.partition(),
                        d.offset(),
                        header(d.headers(), "__streams.errors.message")));
        offlinePass(
            config,
            Map.of(ArmguardConfig.MODERATION_MODE, "report-only"),
            "the MODERATE requests again with moderation.mode=report-only (flag, score, audit,"
                + " deliver unchanged):",
            models,
            out);
        offlinePass(
            config,
            Map.of(ArmguardConfig.REWRITE_MAX_ATTEMPTS, "0"),
            "the MODERATE requests again with rewrite.max.attempts=0 (straight to the fallback,"
                + " moderation.fallback=redact):",
            models,
            out);
        int streamsEnded = DemoStreams.run(pipeline, timeout, out);
        out.printf(
            "{\"demo\":\"done\",\"requests\":%d,\"completions\":%d,\"audits\":%d,"
                + "\"dead_letters\":%d,\"streams\":%d,\"streams_ended\":%d}%n",
            n,
            collector.completions().size(),
            collector.audits().size(),
            collector.deadLetters().size(),
            DemoStreams.count(),
            streamsEnded);
        return complete && streamsEnded == DemoStreams.count() ? 0 : 1;
      }
    }
  }

  /**
   * The MODERATE requests again under other settings ({@code overrides}), through the service's own
   * path without Kafka ({@link OfflineModeration}).
   */
  private static void offlinePass(
      ArmguardConfig config,
      Map<String, String> overrides,
      String title,
      ServiceModels models,
      PrintStream out) {
    ArmguardConfig changed = config.with(overrides);
    out.println("-- " + title);
    try (GuidedEngine engine = models.newEngine()) {
      for (OutcomeRecords.Outcome o :
          new OfflineModeration(changed, engine, System::currentTimeMillis)
              .answer(SampleRequests.moderations(), "demo")) {
        print(out, o.completion(), o.audit());
      }
    }
  }

  private static String header(org.apache.kafka.common.header.Headers headers, String name) {
    var h = headers.lastHeader(name);
    return h == null
        ? "(no " + name + " header)"
        : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void print(PrintStream out, Completion c, AuditRecord a) {
    RecordText.completion(c).forEach(out::println);
    out.println("    audit: " + (a == null ? "(missing)" : RecordText.auditSummary(a)));
  }
}
