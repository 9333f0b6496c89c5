package io.armguard.cli;

import io.armguard.config.ArmguardConfig;
import io.armguard.decode.GuidedEngine;
import io.armguard.schema.GenerationRequest;
import io.armguard.streams.OfflineModeration;
import io.armguard.streams.OutcomeRecords;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code armguard moderate --input FILE}: MODERATE a JSON-lines file through the service's own path
 * ({@link OfflineModeration}: validation, batching, policy, rewrite), no Kafka needed.
 */
@Command(
    name = "moderate",
    mixinStandardHelpOptions = true,
    description = {
      "Moderate a JSON-lines file of {\"id\", \"prompt\", \"response\"} objects through the same"
          + " validation, batching, policy and rewrite as the service, without Kafka; one JSON line"
          + " per item on stdout: id, action, text (as delivered), flagged, score (the reply's"
          + " steering-label score), categories, category_scores, kept_chars, first_flagged_char"
          + " (and error when REJECTED).",
      "Configuration as for run (defaults, --config, ARMGUARD_* variables); --threshold, --mode,"
          + " --fallback, --repair and --set override it. Try armguard on your own logs and pick thresholds"
          + " before you deploy it."
    })
public final class ModerateCommand implements Callable<Integer> {

  /** Input lines answered per call, so output streams while a long file runs. */
  static final int CHUNK_BATCHES = 8;

  @Option(names = "--input", required = true, description = "JSON-lines file; - = stdin")
  String input;

  @Option(names = "--output", description = "output file (default: stdout)")
  Path output;

  @Option(names = "--config", description = "properties file, as for run")
  Path configFile;

  @Option(names = "--threshold", description = "toxicity.threshold (every category's default)")
  Float threshold;

  @Option(names = "--mode", description = "moderation.mode: enforce or report-only")
  String mode;

  @Option(names = "--fallback", description = "moderation.fallback: redact or block")
  String fallback;

  @Option(
      names = "--repair",
      description =
          "moderation.repair: redact (the clean part first) or rewrite (guided rewrites first)")
  String repair;

  @Mixin ConfigOverrides overrides;

  @Override
  public Integer call() throws Exception {
    ArmguardConfig config = config();
    int answered = 0;
    Map<String, Integer> actions = new TreeMap<>();
    try (ServiceModels models = ServiceModels.load(config, false, System.err);
        GuidedEngine engine = models.newEngine();
        Reader in = reader();
        PrintWriter out = writer()) {
      OfflineModeration moderation =
          new OfflineModeration(config, engine, System::currentTimeMillis);
      BufferedReader lines = new BufferedReader(in);
      List<GenerationRequest> chunk = new ArrayList<>();
      int chunkSize = config.batchSize() * CHUNK_BATCHES;
      String line;
      int lineNo = 0;
      while ((line = lines.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        try {
          chunk.add(ModerationJsonLines.request(line, lineNo, System.currentTimeMillis()));
        } catch (ModerationJsonLines.BadLine bad) {
          answered += flush(moderation, chunk, out, actions); // keep the output in input order
          out.println(ModerationJsonLines.unreadable(bad));
          actions.merge("REJECTED", 1, Integer::sum);
          answered++;
        }
        if (chunk.size() >= chunkSize) {
          answered += flush(moderation, chunk, out, actions);
        }
      }
      answered += flush(moderation, chunk, out, actions);
    }
    System.err.println("armguard moderate: " + answered + " items " + actions);
    return 0;
  }

  private int flush(
      OfflineModeration moderation,
      List<GenerationRequest> chunk,
      PrintWriter out,
      Map<String, Integer> actions) {
    if (chunk.isEmpty()) {
      return 0;
    }
    List<OutcomeRecords.Outcome> outcomes = moderation.answer(chunk, sourceName());
    for (OutcomeRecords.Outcome o : outcomes) {
      out.println(ModerationJsonLines.answer(o));
      actions.merge(o.completion().getAction().name(), 1, Integer::sum);
    }
    out.flush();
    int n = chunk.size();
    chunk.clear();
    return n;
  }

  private ArmguardConfig config() throws java.io.IOException {
    ArmguardConfig base = ArmguardConfig.loadOrDefaults(configFile);
    Map<String, String> overrides = this.overrides.values();
    if (threshold != null) {
      overrides.put(ArmguardConfig.TOXICITY_THRESHOLD, Float.toString(threshold));
    }
    if (mode != null) {
      overrides.put(ArmguardConfig.MODERATION_MODE, mode);
    }
    if (fallback != null) {
      overrides.put(ArmguardConfig.MODERATION_FALLBACK, fallback);
    }
    if (repair != null) {
      overrides.put(ArmguardConfig.MODERATION_REPAIR, repair);
    }
    return overrides.isEmpty() ? base : base.with(overrides);
  }

  private String sourceName() {
    return "-".equals(input) ? "stdin" : input;
  }

  private Reader reader() throws java.io.IOException {
    return "-".equals(input)
        ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
        : Files.newBufferedReader(Path.of(input), StandardCharsets.UTF_8);
  }

  private PrintWriter writer() throws java.io.IOException {
    return output == null
        ? new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false) {
          @Override
          public void close() {
            flush(); // never close stdout
          }
        }
        : new PrintWriter(Files.newBufferedWriter(output, StandardCharsets.UTF_8));
  }
}
