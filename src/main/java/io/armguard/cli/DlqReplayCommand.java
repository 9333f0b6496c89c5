package io.armguard.cli;

import io.armguard.config.ArmguardConfig;
import io.armguard.streams.DeadLetterReplay;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code armguard dlq replay}: sends matching dead letters back to their source topic. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Send dead letters back to the topic they came from (e.g. after a registry incident), with"
          + " a header armguard.replayed.from=<partition>:<offset>. Reads topic.dlq up to its end"
          + " at the start; the dead-letter topic is left as it is.",
      "Prints one JSON line: read, matched, replayed, skipped."
    })
public final class DlqReplayCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, description = "the service's properties file")
  Path configFile;

  @Option(
      names = "--error",
      description = "regex searched in '<exception class>: <message>' of each dead letter")
  String error;

  @Option(names = "--from", description = "earliest dead-letter time, ISO-8601 (inclusive)")
  Instant from;

  @Option(names = "--to", description = "latest dead-letter time, ISO-8601 (exclusive)")
  Instant to;

  @Option(names = "--dry-run", description = "count what would be replayed, send nothing")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    ArmguardConfig config = ArmguardConfig.load(configFile);
    DeadLetterReplay.Result r =
        DeadLetterReplay.run(
            config.bootstrapServers(),
            config.kafkaOverrides(),
            config.dlqTopic(),
            new DeadLetterReplay.Filter(
                error == null ? null : Pattern.compile(error), from, to, dryRun));
    System.out.printf(
        "{\"read\":%d,\"matched\":%d,\"replayed\":%d,\"skipped\":%d,\"dry_run\":%b}%n",
        r.read(), r.matched(), r.replayed(), r.skipped(), dryRun);
    return 0;
  }
}
