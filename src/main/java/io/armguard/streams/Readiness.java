package io.armguard.streams;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Whether the service can make progress now, check by check (Kafka Streams RUNNING, a broker
 * connection, the schema registry answering): {@code /ready} is 200 only when every check passes,
 * and its body names each check's state. Immutable.
 */
public record Readiness(List<Check> checks) {

  /**
   * One condition of readiness.
   *
   * @param name what was checked
   * @param ok whether it holds
   * @param detail what was seen (state, since when, last error)
   */
  public record Check(String name, boolean ok, String detail) {}

  public Readiness {
    checks = List.copyOf(checks);
  }

  /** True when every check passes. */
  public boolean ok() {
    return checks.stream().allMatch(Check::ok);
  }

  /** One line per check: {@code ok|NOT OK name: detail}. */
  public String report() {
    return checks.stream()
            .map(c -> (c.ok() ? "ok     " : "NOT OK ") + c.name() + ": " + c.detail())
            .collect(Collectors.joining("\n"))
        + "\n";
  }
}
