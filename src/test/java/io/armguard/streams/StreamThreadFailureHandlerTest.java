package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.config.ArmguardConfig;
import io.armguard.serde.RegistryAvailability;
import io.armguard.testing.LogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadFailureHandlerTest {

  private final List<String> replaced = new ArrayList<>();
  private final StreamThreadFailureHandler handler =
      new StreamThreadFailureHandler(
          ArmguardConfig.from(
              Map.of(
                  "bootstrap.servers",
                  "kafka-1:9093",
                  "kafka.security.protocol",
                  "SASL_SSL",
                  "kafka.sasl.mechanism",
                  "SCRAM-SHA-512"),
              Map.of()),
          new RegistryAvailability(),
          replaced::add);

  @Test
  void aRefusedLoginStopsTheClientAndIsLoggedOnceWithoutAStackTrace() {
    var dead = new StreamsException(new SaslAuthenticationException("invalid credentials (SCRAM)"));
    try (LogCapture log = new LogCapture(StreamThreadFailureHandler.class.getName())) {
      assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, handler.handle(dead));
      assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, handler.handle(dead));
      assertEquals(1, log.lines().size(), log.lines().toString());
      LogCapture.Line line = log.lines().get(0);
      assertTrue(line.message().startsWith("cannot log in to Kafka at kafka-1:9093"));
      assertTrue(
          line.message().endsWith("stopping Kafka Streams (restart with working credentials)"));
      assertFalse(line.hasThrowable());
    }
    assertTrue(replaced.isEmpty(), "no thread replaced");
  }

  @Test
  void anyOtherFailureReplacesTheThread() {
    try (LogCapture log = new LogCapture(StreamThreadFailureHandler.class.getName())) {
      assertEquals(
          StreamThreadExceptionResponse.REPLACE_THREAD,
          handler.handle(new StreamsException(new IllegalStateException("boom"))));
      assertTrue(log.lines().get(0).hasThrowable());
    }
    assertEquals(List.of(Thread.currentThread().getName()), replaced);
  }
}
