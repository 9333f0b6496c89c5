package io.armguard.cli;

import io.armguard.data.ReplySet;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --replies} option of commands that read the labelled reply set. */
public final class ReplySetOption {
  @Option(
      names = "--replies",
      defaultValue = "data/replies",
      description = "the reply set folder (default: ${DEFAULT-VALUE}; see its README.md)")
  Path replies;

  /** The folder given. */
  public Path path() {
    return replies;
  }

  /** Loads the set (clear error naming file and line for a malformed one). */
  public ReplySet load() throws IOException {
    return ReplySet.load(replies);
  }
}
