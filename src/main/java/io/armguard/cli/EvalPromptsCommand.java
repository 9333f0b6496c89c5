package io.armguard.cli;

import io.armguard.data.PreparedData;
import io.armguard.eval.EvalPrompt;
import io.armguard.eval.PromptSet;
import io.armguard.eval.TextJudge;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code armguard eval prompts}: builds the versioned detoxification prompt file. */
@Command(
    name = "prompts",
    mixinStandardHelpOptions = true,
    description = {
      "Build the evaluation prompts from held-out corpus text (never used for training): the first"
          + " half of texts the independent judge rates toxic (toxicity-prone) and of texts it"
          + " rates clean (neutral). The result is versioned in the repository.",
      "--split valid builds the validation prompts from the LM's validation texts instead"
          + " (eval/prompts-valid.jsonl): choose beta and reward context on them, report on the"
          + " held-out ones."
    })
public final class EvalPromptsCommand implements Callable<Integer> {
  @Mixin PreparedDataOption data;

  @Mixin JudgeOption judgeOption;

  @Option(
      names = "--per-kind",
      defaultValue = "50",
      description = "prompts of each kind (default: ${DEFAULT-VALUE})")
  int perKind;

  @Option(
      names = "--seed",
      defaultValue = "1234",
      description = "selection seed (default: ${DEFAULT-VALUE})")
  long seed;

  /** Which corpus split the prompts come from. */
  enum Split {
    heldout(PreparedData.LM_HELDOUT),
    valid(PreparedData.LM_VALID);

    final String file;

    Split(String file) {
      this.file = file;
    }
  }

  @Option(
      names = "--split",
      defaultValue = "heldout",
      description =
          "heldout (the test prompts) or valid (validation prompts, disjoint texts; default:"
              + " ${DEFAULT-VALUE})")
  Split split;

  @Option(
      names = "--out",
      defaultValue = "runs/eval/prompts.jsonl",
      description =
          "output (default: ${DEFAULT-VALUE}; an existing file outside runs/ needs --force)")
  Path out;

  @Mixin OutputGuard.Force force;

  @Override
  public Integer call() throws Exception {
    OutputGuard.file(out, force.force);
    List<String> texts = PreparedData.readLines(data.dir().resolve(split.file));
    TextJudge judge = judgeOption.load();
    double[] scores = judge.score(texts);
    List<EvalPrompt> prompts = PromptSet.build(texts, scores, 0.5, perKind, seed);
    PromptSet.write(out, prompts);
    long toxic = prompts.stream().filter(p -> p.kind().equals("toxic-prone")).count();
    System.out.printf(
        "{\"prompts\":%d,\"toxic_prone\":%d,\"neutral\":%d,\"split\":\"%s\",\"file\":\"%s\"}%n",
        prompts.size(), toxic, prompts.size() - toxic, split, out);
    return 0;
  }
}
