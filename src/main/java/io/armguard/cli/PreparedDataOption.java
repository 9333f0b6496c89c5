package io.armguard.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data} option of the commands that read the prepared data ({@code data prepare}). */
public final class PreparedDataOption {
  @Option(
      names = "--data",
      defaultValue = "work-data",
      description = "prepared data (default: ${DEFAULT-VALUE})")
  Path dir;

  /** The prepared data directory. */
  Path dir() {
    return dir;
  }
}
