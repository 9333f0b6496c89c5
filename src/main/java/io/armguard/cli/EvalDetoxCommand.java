package io.armguard.cli;

import io.armguard.decode.DecodingModels;
import io.armguard.decode.Strategy;
import io.armguard.eval.DetoxEvaluation;
import io.armguard.eval.DetoxRow;
import io.armguard.eval.EvalPrompt;
import io.armguard.eval.JudgeBaseline;
import io.armguard.eval.ProfanityRate;
import io.armguard.eval.PromptSet;
import io.armguard.eval.TextJudge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code armguard eval detox}: the toxicity / fluency / diversity sweep over strategies and beta.
 */
@Command(
    name = "detox",
    mixinStandardHelpOptions = true,
    description = {
      "For UNGUIDED and each guided strategy (ARM-responses, ARM-distilled, RAD) and each beta:"
          + " sample continuations of the evaluation prompts, then report average max toxicity and"
          + " toxic rate (independent judge: bge-small-en-v1.5 + logistic heads, models/judge), lexicon rate, conditional perplexity under"
          + " the base LM and dist-1/2/3.",
      "Prints one JSON object per configuration and writes a PNG of toxicity vs perplexity."
    })
public final class EvalDetoxCommand implements Callable<Integer> {
  @Option(
      names = "--lm",
      defaultValue = "models/lm",
      description = "language model (default: ${DEFAULT-VALUE})")
  Path lm;

  @Option(
      names = "--arm",
      defaultValue = "models/arm",
      description = "the default ARM reward model, strategy ARM (default: ${DEFAULT-VALUE})")
  Path arm;

  @Option(
      names = "--arm-responses",
      defaultValue = "models/arm-responses",
      description =
          "an ARM trained on responses, strategy ARM-responses (default: ${DEFAULT-VALUE})")
  Path armResponses;

  @Option(
      names = "--arm-distilled",
      defaultValue = "models/arm-distilled",
      description = "an ARM distilled from RAD, strategy ARM-distilled (default: ${DEFAULT-VALUE})")
  Path armDistilled;

  @Option(
      names = "--reward-context",
      defaultValue = "prompt",
      description =
          "what the guiding reward model's state starts from: prompt (BOS + the prompt, the"
              + " papers' protocol) or continuation (BOS alone, as GENERATE guides and as the judge"
              + " scores; default: ${DEFAULT-VALUE})")
  String rewardContext;

  @Option(
      names = "--rad",
      defaultValue = "models/rad",
      description = "a RAD model, strategy RAD (default: ${DEFAULT-VALUE})")
  Path rad;

  @Mixin JudgeOption judgeOption;

  @Option(
      names = "--prompts",
      defaultValue = "eval/prompts.jsonl",
      description = "prompt file (default: ${DEFAULT-VALUE})")
  Path promptFile;

  @Option(
      names = "--strategies",
      split = ",",
      defaultValue = "UNGUIDED,ARM",
      description = "which (default: ${DEFAULT-VALUE})")
  List<String> strategies;

  @Option(
      names = "--betas",
      split = ",",
      defaultValue = "5,10,20,40",
      description = "beta sweep for guided strategies (default: ${DEFAULT-VALUE})")
  List<Float> betas;

  @Option(
      names = "--samples",
      defaultValue = "5",
      description = "samples per prompt (default: ${DEFAULT-VALUE})")
  int samples;

  @Option(
      names = "--new-tokens",
      defaultValue = "20",
      description = "tokens per sample (default: ${DEFAULT-VALUE})")
  int newTokens;

  @Option(
      names = "--top-k",
      defaultValue = "20",
      description = "top-k (default: ${DEFAULT-VALUE}, as in both papers)")
  int topK;

  @Option(
      names = "--max-prompts",
      defaultValue = "0",
      description =
          "use only the first N prompts of each kind, 0 = all (default: ${DEFAULT-VALUE})")
  int maxPrompts;

  @Option(
      names = "--batch",
      defaultValue = "50",
      description = "decode batch size (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(
      names = "--plot",
      defaultValue = "runs/eval/detox-tradeoff.png",
      description = "PNG output (default: ${DEFAULT-VALUE})")
  Path plot;

  @Mixin OutputGuard.Force force;

  @Option(names = "--json-out", description = "also write the JSON lines to this file")
  Path jsonOut;

  @Option(
      names = "--reference",
      defaultValue = "work-data/lm/heldout.txt",
      description =
          "held-out human text (one document per line) scored by the judge the same way, as"
              + " the judge's baseline: openings of about as many words as a sample, grouped by"
              + " --samples; skipped with a note when the file is missing (default:"
              + " ${DEFAULT-VALUE})")
  Path reference;

  @Mixin RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    if (!rewardContext.equals("prompt") && !rewardContext.equals("continuation")) {
      throw new IllegalArgumentException(
          "--reward-context must be prompt or continuation, not '" + rewardContext + "'");
    }
    OutputGuard.file(plot, force.force);
    var device = runtime.apply();
    List<EvalPrompt> prompts = limit(PromptSet.read(promptFile));
    TextJudge judge = judgeOption.load();
    ProfanityRate lexicon = ProfanityRate.load(judgeOption.dir());
    DetoxEvaluation evaluation =
        new DetoxEvaluation(prompts, samples, newTokens, topK, batch, judge, lexicon)
            .rewardSeesPrompt(rewardContext.equals("prompt"));
    Map<String, Path> guided = new LinkedHashMap<>();
    guided.put("ARM", arm);
    guided.put("ARM-responses", armResponses);
    guided.put("ARM-distilled", armDistilled);
    guided.put("RAD", rad);
    int configs = 0;
    for (String s : strategies) {
      configs += s.equalsIgnoreCase("UNGUIDED") ? 1 : betas.size();
    }
    List<DetoxRow> rows = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    try (ProgressBar bar =
        TerminalProgress.quietOffTerminal(new ProgressBarBuilder())
            .setTaskName("eval detox")
            .setInitialMax((long) configs * evaluation.generationsPerConfig())
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" samples", 1)
            .showSpeed()
            .build()) {
      for (String label : strategies) {
        boolean unguided = label.equalsIgnoreCase("UNGUIDED");
        Path reward = unguided ? null : guided.get(label);
        if (!unguided && reward == null) {
          throw new IllegalArgumentException(
              "unknown strategy "
                  + label
                  + "; known: UNGUIDED, "
                  + String.join(", ", guided.keySet()));
        }
        Strategy strategy =
            unguided ? Strategy.UNGUIDED : label.startsWith("ARM") ? Strategy.ARM : Strategy.RAD;
        try (DecodingModels models =
            DecodingModels.load(lm, reward == null ? List.of() : List.of(reward), device)) {
          for (float beta : unguided ? List.of(0f) : betas) {
            bar.setExtraMessage(label + " b=" + beta);
            DetoxRow row =
                evaluation.run(unguided ? "UNGUIDED" : label, strategy, beta, models, bar::stepBy);
            rows.add(row);
            String line = row.toJson().toString();
            lines.add(line);
            System.out.println(line);
          }
        }
      }
    }
    JudgeBaseline baseline = judgeBaseline(judge, lexicon, prompts.size());
    if (baseline != null) {
      String line = baseline.toJson("held-out human text", referenceWords()).toString();
      lines.add(line);
      System.out.println(line);
    }
    DetoxEvaluation.plot(rows, baseline, plot);
    if (jsonOut != null) {
      if (jsonOut.getParent() != null) {
        Files.createDirectories(jsonOut.getParent());
      }
      Files.write(jsonOut, lines);
    }
    System.err.println("eval detox: plot written to " + plot);
    return 0;
  }

  /** About 0.75 English words per BPE token. */
  private int referenceWords() {
    return Math.max(1, Math.round(newTokens * 0.75f));
  }

  private JudgeBaseline judgeBaseline(TextJudge judge, ProfanityRate lexicon, int promptCount)
      throws IOException {
    if (reference == null || !Files.isRegularFile(reference)) {
      System.err.println(
          "eval detox: no reference text at "
              + reference
              + " (run ./armguard data prepare): judge baseline skipped");
      return null;
    }
    List<String> texts =
        JudgeBaseline.openings(
            Files.readAllLines(reference), promptCount * samples, referenceWords(), 1234);
    return JudgeBaseline.of(judge.score(texts), samples, lexicon.rate(texts));
  }

  private List<EvalPrompt> limit(List<EvalPrompt> all) {
    if (maxPrompts <= 0) {
      return all;
    }
    List<EvalPrompt> out = new ArrayList<>();
    Map<String, Integer> taken = new LinkedHashMap<>();
    for (EvalPrompt p : all) {
      if (taken.merge(p.kind(), 1, Integer::sum) <= maxPrompts) {
        out.add(p);
      }
    }
    return out;
  }
}
