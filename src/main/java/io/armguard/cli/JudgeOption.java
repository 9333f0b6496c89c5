package io.armguard.cli;

import io.armguard.eval.Judges;
import io.armguard.eval.TextJudge;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --judge} option (old name {@code --evaluator}) of the evaluations that score text with
 * the independent judge ({@code eval detox}, {@code eval reward}, {@code eval prompts}).
 */
final class JudgeOption {
  @Option(
      names = {"--judge", "--evaluator"},
      defaultValue = "models/judge",
      description = "independent judge (default: ${DEFAULT-VALUE})")
  Path judgeDir;

  /** The judge's directory. */
  Path dir() {
    return judgeDir;
  }

  /** Loads the judge ({@link Judges#load}). */
  TextJudge load() throws IOException {
    return Judges.load(judgeDir);
  }
}
