package io.armguard.cli;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;

/** The command line a model card records: what was typed, from picocli's parse result. */
final class ReproducibleCommand {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,@%+-]+");

  private ReproducibleCommand() {}

  /**
   * {@code ./armguard} followed by the arguments exactly as given (the parse result's original
   * arguments start at the top-level command, so they include the subcommand names); arguments the
   * shell would split or expand are single-quoted.
   */
  static String of(CommandSpec spec) {
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    return args.stream()
        .map(ReproducibleCommand::quoted)
        .collect(Collectors.joining(" ", "./armguard ", ""));
  }

  static String quoted(String arg) {
    return PLAIN.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }
}
