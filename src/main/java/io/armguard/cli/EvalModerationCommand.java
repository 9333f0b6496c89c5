package io.armguard.cli;

import com.google.gson.JsonObject;
import io.armguard.config.ArmguardConfig;
import io.armguard.data.ReplyItem;
import io.armguard.data.ReplySet;
import io.armguard.decode.GuidedEngine;
import io.armguard.eval.Judges;
import io.armguard.eval.ModerationOutcomes;
import io.armguard.eval.TextJudge;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.Mode;
import io.armguard.streams.OfflineModeration;
import io.armguard.streams.OutcomeRecords;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code armguard eval moderation}: MODERATE, as the service applies it, on labelled replies: how
 * often toxic replies are repaired (REWRITTEN or REDACTED, non-empty, kept prefix byte-identical,
 * delivered reply below the threshold) and clean ones delivered unchanged.
 */
@Command(
    name = "moderation",
    mixinStandardHelpOptions = true,
    description = {
      "Run MODERATE (the same validation, policy and rewrite as the service, without Kafka) on"
          + " labelled replies of the reply set and print one JSON line: on toxic replies the share"
          + " repaired (REWRITTEN or REDACTED, non-empty, kept prefix byte-identical, the"
          + " delivered reply scored below the threshold by the reward model), BLOCKED and missed;"
          + " on clean replies the share ALLOWED unchanged.",
      "Configuration as for run; --set overrides any key (e.g. model.reward.dir=DIR)."
    })
public final class EvalModerationCommand implements Callable<Integer> {
  @Mixin ReplySetOption replies;

  @Option(
      names = "--batches",
      split = ",",
      defaultValue = io.armguard.data.ReplySet.HELD_OUT,
      description = "batches to moderate (default: ${DEFAULT-VALUE})")
  List<String> batches;

  @Option(
      names = "--limit",
      defaultValue = "0",
      description =
          "moderate at most this many toxic and as many clean replies, the first of each in file"
              + " order (0 = all; default: ${DEFAULT-VALUE})")
  int limit;

  @Option(
      names = "--judge",
      defaultValue = "models/judge",
      description =
          "independent judge that also scores every delivered reply ('none' to skip; default:"
              + " ${DEFAULT-VALUE})")
  String judgeDir;

  @Option(names = "--items", description = "also write one JSON line per reply to this file")
  Path itemsFile;

  @Mixin ConfigOverrides overrides;

  @Override
  public Integer call() throws Exception {
    ReplySet all = replies.load();
    List<ReplyItem> items = chosen(all.only(new LinkedHashSet<>(batches)).items());
    ArmguardConfig config = ArmguardConfig.fromEnvironment(overrides.values());
    List<ModerationOutcomes.Answer> outcomes = new ArrayList<>();
    try (ServiceModels models = ServiceModels.load(config, false, System.err);
        GuidedEngine engine = models.newEngine()) {
      OfflineModeration moderation =
          new OfflineModeration(config, engine, System::currentTimeMillis);
      int chunk = config.batchSize() * 4;
      for (int i = 0; i < items.size(); i += chunk) {
        List<GenerationRequest> requests = new ArrayList<>();
        for (ReplyItem item : items.subList(i, Math.min(items.size(), i + chunk))) {
          requests.add(request(item));
        }
        for (OutcomeRecords.Outcome o : moderation.answer(requests, "armguard eval moderation")) {
          outcomes.add(answer(o));
        }
        System.err.printf("eval moderation: %d/%d%n", outcomes.size(), items.size());
      }
    }
    double[] judged = null;
    double judgeThreshold = Double.NaN;
    if (!judgeDir.equals("none")) {
      TextJudge judge = Judges.load(Path.of(judgeDir));
      judged = judge.score(outcomes.stream().map(ModerationOutcomes.Answer::text).toList());
      judgeThreshold = judge.threshold();
    }
    ModerationOutcomes result = ModerationOutcomes.of(items, outcomes, judged, judgeThreshold);
    JsonObject line = result.summary();
    line.addProperty("set", "replies:" + String.join("+", batches));
    System.out.println(line);
    if (itemsFile != null) {
      try (BufferedWriter w = Files.newBufferedWriter(itemsFile, StandardCharsets.UTF_8)) {
        for (JsonObject o : result.perItem()) {
          w.write(o + "\n");
        }
      }
    }
    return 0;
  }

  private List<ReplyItem> chosen(List<ReplyItem> items) {
    if (limit <= 0) {
      return items;
    }
    List<ReplyItem> toxic = items.stream().filter(ReplyItem::toxic).limit(limit).toList();
    List<ReplyItem> clean = items.stream().filter(i -> !i.toxic()).limit(limit).toList();
    List<ReplyItem> out = new ArrayList<>(toxic);
    out.addAll(clean);
    return out;
  }

  private static ModerationOutcomes.Answer answer(OutcomeRecords.Outcome o) {
    var c = o.completion();
    return new ModerationOutcomes.Answer(
        c.getAction().name(),
        c.getText() == null ? "" : c.getText(),
        o.audit().getKeptChars(),
        c.getToxicity() == null ? Float.NaN : c.getToxicity(),
        o.audit().getThreshold());
  }

  private static GenerationRequest request(ReplyItem item) {
    return GenerationRequest.newBuilder()
        .setRequestId(item.id())
        .setMode(Mode.MODERATE)
        .setPrompt(item.prompt())
        .setResponse(item.reply())
        .setCreatedAt(Instant.now())
        .setAttributes(Map.of("source", "armguard eval moderation"))
        .build();
  }
}
