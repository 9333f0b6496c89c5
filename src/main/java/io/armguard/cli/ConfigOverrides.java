package io.armguard.cli;

import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The repeatable {@code --set KEY=VALUE} option: configuration overrides for one command. */
public final class ConfigOverrides {
  @Option(
      names = "--set",
      description = "any configuration key, KEY=VALUE (repeatable), e.g. model.reward.dir=DIR")
  Map<String, String> set = new HashMap<>();

  /** The overrides given (a mutable copy). */
  public Map<String, String> values() {
    return new HashMap<>(set);
  }
}
