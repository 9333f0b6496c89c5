package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.config.ArmguardConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets given through the environment reach the Kafka clients' configuration and no log line:
 * every event Kafka Streams and its clients log while they are created with them (at INFO, where
 * the client configs are printed) is checked, and so is armguard's own configuration line.
 */
class SecretsNotLoggedTest {

  private static final String PASSWORD = "pw-7f3a9c-never-logged";

  @Test
  void environmentSecretsReachTheClientsButNoLogLine(@TempDir Path state) {
    ArmguardConfig config =
        ArmguardConfig.from(
            Map.of("state.dir", state.toString(), "bootstrap.servers", "localhost:1"),
            Map.of(
                "ARMGUARD_KAFKA_SECURITY_PROTOCOL",
                "SASL_PLAINTEXT",
                "ARMGUARD_KAFKA_SASL_MECHANISM",
                "SCRAM-SHA-512",
                "ARMGUARD_KAFKA_SASL_JAAS_CONFIG",
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"armguard\" password=\""
                    + PASSWORD
                    + "\";",
                "ARMGUARD_BASIC_AUTH_USER_INFO",
                "armguard:" + PASSWORD));
    Properties props = ArmguardTopology.streamsProperties(config);
    assertTrue(String.valueOf(props.get("sasl.jaas.config")).contains(PASSWORD));
    assertEquals("SASL_PLAINTEXT", props.get("security.protocol"));

    List<String> lines = new CopyOnWriteArrayList<>();
    try (Capture ignored = Capture.all(lines)) {
      StreamsBuilder builder = new StreamsBuilder();
      builder.stream(config.requestsTopic()).to(config.completionsTopic());
      KafkaStreams streams = new KafkaStreams(builder.build(), props);
      streams.close(Duration.ofSeconds(5));
      org.slf4j.LoggerFactory.getLogger(getClass()).info("configuration {}", config.describe());
    }
    assertTrue(
        lines.stream().anyMatch(l -> l.contains("sasl.jaas.config = [hidden]")),
        "the client config dump was captured");
    for (String line : lines) {
      assertFalse(line.contains(PASSWORD), "secret in a log line: " + line);
    }
  }

  /** Every event at INFO and above, from every logger, as formatted text. */
  private static final class Capture extends AbstractAppender implements AutoCloseable {
    private final List<String> lines;
    private final Level previous;

    private Capture(List<String> lines) {
      super("secrets-capture", null, null, true, Property.EMPTY_ARRAY);
      this.lines = lines;
      LoggerConfig root = rootConfig();
      this.previous = root.getLevel();
      start();
      root.addAppender(this, Level.INFO, null);
      root.setLevel(Level.INFO);
      context().updateLoggers();
    }

    static Capture all(List<String> lines) {
      return new Capture(lines);
    }

    @Override
    public void append(LogEvent event) {
      StringBuilder line = new StringBuilder(event.getMessage().getFormattedMessage());
      for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
        line.append(" | ").append(t);
      }
      lines.add(line.toString());
    }

    @Override
    public void close() {
      LoggerConfig root = rootConfig();
      root.removeAppender(getName());
      root.setLevel(previous);
      context().updateLoggers();
      stop();
    }

    private static LoggerContext context() {
      return (LoggerContext) LogManager.getContext(false);
    }

    private static LoggerConfig rootConfig() {
      Configuration c = context().getConfiguration();
      return c.getRootLogger();
    }
  }
}
