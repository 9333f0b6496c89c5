package io.armguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ArmguardConfigTest {

  @Test
  void moderationKeysAndPerCategoryThresholds() {
    ArmguardConfig c =
        ArmguardConfig.from(
            Map.of(
                "moderation.mode", "Report-Only",
                "moderation.fallback", "block",
                "toxicity.threshold.threat", "0.3"),
            Map.of());
    assertEquals("report-only", c.moderationMode());
    assertEquals("block", c.moderationFallback());
    assertEquals(Map.of("threat", 0.3f), c.categoryThresholds());
    assertEquals(Map.of("threat", 0.3f), c.with(Map.of()).categoryThresholds());
    ConfigException bad =
        assertThrows(
            ConfigException.class,
            () -> ArmguardConfig.from(Map.of("toxicity.threshold.threat", "2"), Map.of()));
    assertTrue(bad.getMessage().contains("toxicity.threshold.threat"), bad.getMessage());
    assertThrows(
        ConfigException.class,
        () -> ArmguardConfig.from(Map.of("moderation.mode", "shadow"), Map.of()));
  }

  @Test
  void theAvroEnumsUnknownSymbolIsNotAConfigurableStrategy() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ArmguardConfig.from(Map.of("decode.strategy", "unknown"), Map.of()));
    assertTrue(e.getMessage().contains("one of arm, rad, unguided"), e.getMessage());
  }

  @Test
  void decodeDevicesListTheSchedulersDevicesAndDefaultToTheDevice() {
    assertEquals(
        java.util.List.of("cpu"),
        ArmguardConfig.from(Map.of("device", "cpu"), Map.of()).decodeDevices());
    assertEquals(
        java.util.List.of("gpu:0", "gpu:1"),
        ArmguardConfig.from(Map.of("decode.devices", " gpu:0, gpu:1 "), Map.of()).decodeDevices());
    ConfigException bad =
        assertThrows(
            ConfigException.class,
            () -> ArmguardConfig.from(Map.of("decode.devices", "gpu:0,tpu"), Map.of()));
    assertTrue(
        bad.getMessage().contains("decode.devices") && bad.getMessage().contains("'tpu'"),
        bad.getMessage());
    ConfigException perTask =
        assertThrows(
            ConfigException.class,
            () ->
                ArmguardConfig.from(
                    Map.of("decode.devices", "cpu,cpu", "decode.scheduler", "task"), Map.of()));
    assertTrue(perTask.getMessage().contains("decode.scheduler=continuous"), perTask.getMessage());
  }

  @Test
  void defaultsAreValid() {
    ArmguardConfig c = ArmguardConfig.from(Map.of(), Map.of());
    assertEquals(8, c.batchSize());
    assertEquals(50, c.batchMaxDelayMs());
    assertEquals("arm", c.decodeStrategy());
    assertEquals("armguard.requests", c.requestsTopic());
    assertEquals(ArmguardConfig.KEYS.size(), c.asStrings().size());
  }

  @Test
  void environmentOverridesFileOverridesDefault() {
    ArmguardConfig c =
        ArmguardConfig.from(
            Map.of("batch.size", "4", "batch.max.delay.ms", "20"),
            Map.of("ARMGUARD_BATCH_SIZE", "16", "UNRELATED", "x"));
    assertEquals(16, c.batchSize());
    assertEquals(20, c.batchMaxDelayMs());
  }

  @Test
  void badValueNamesKeyOriginAndAllowedValues() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ArmguardConfig.from(Map.of(), Map.of("ARMGUARD_BATCH_SIZE", "0")));
    assertEquals("batch.size", e.key());
    assertTrue(e.getMessage().contains("ARMGUARD_BATCH_SIZE"), e.getMessage());
    assertTrue(e.getMessage().contains("[1, 1024]"), e.getMessage());
    ConfigException strategy =
        assertThrows(
            ConfigException.class,
            () -> ArmguardConfig.from(Map.of("decode.strategy", "greedy"), Map.of()));
    assertTrue(strategy.getMessage().contains("arm, rad, unguided"), strategy.getMessage());
    assertThrows(
        ConfigException.class,
        () -> ArmguardConfig.from(Map.of("toxicity.threshold", "NaN"), Map.of()));
  }

  @Test
  void unknownKeysAreRejectedButPrefixedPassThrough() {
    assertThrows(
        ConfigException.class, () -> ArmguardConfig.from(Map.of("batch.sise", "8"), Map.of()));
    ArmguardConfig c =
        ArmguardConfig.from(
            Map.of(
                "kafka.security.protocol", "SSL",
                "schema.registry.ssl.truststore.location", "/etc/ts.p12",
                "basic.auth.user.info", "u:p"),
            Map.of());
    assertEquals("SSL", c.kafkaOverrides().get("security.protocol"));
    assertEquals("u:p", c.registryProperties().get("basic.auth.user.info"));
    assertEquals(
        "/etc/ts.p12", c.registryProperties().get("schema.registry.ssl.truststore.location"));
    assertEquals("mock://armguard", c.registryProperties().get("schema.registry.url"));
  }

  @Test
  void batchThatCannotFinishInsideTheTransactionTimeoutIsRejected() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                ArmguardConfig.from(
                    Map.of(
                        "batch.size", "64",
                        "batch.max.in.flight", "0",
                        "decode.max.new.tokens.limit", "128",
                        "decode.step.ms.worst", "50",
                        "transaction.timeout.ms", "60000"),
                    Map.of()));
    assertTrue(e.getMessage().contains("transaction.timeout.ms=60000"), e.getMessage());
    assertTrue(e.key().contains("batch.size"));
  }

  @Test
  void withADecodeWorkerTheBatchDoesNotHoldTheTransaction() {
    // the stream thread never waits for the worker: a batch does not span a transaction
    ArmguardConfig c =
        ArmguardConfig.from(
            Map.of(
                "batch.size", "64",
                "batch.max.in.flight", "2",
                "decode.max.new.tokens.limit", "128",
                "decode.step.ms.worst", "50",
                "transaction.timeout.ms", "20000"),
            Map.of());
    assertEquals(20_000, c.transactionTimeoutMs());
  }

  @Test
  void defaultAboveLimitIsRejected() {
    assertThrows(
        ConfigException.class,
        () ->
            ArmguardConfig.from(
                Map.of("decode.max.new.tokens", "100", "decode.max.new.tokens.limit", "64"),
                Map.of()));
  }

  @Test
  void withReplacesAndRevalidates() {
    ArmguardConfig c = ArmguardConfig.from(Map.of("kafka.linger.ms", "5"), Map.of());
    ArmguardConfig d = c.with(Map.of("batch.size", "2"));
    assertEquals(2, d.batchSize());
    assertEquals("5", d.kafkaOverrides().get("linger.ms"));
  }

  @Test
  void kafkaOverridesOfManagedKeysAreRejectedNamingTheArmguardKey() {
    Map<String, String> expected =
        Map.of(
            "kafka.processing.guarantee", "exactly_once_v2",
            "kafka.producer.transaction.timeout.ms", TRANSACTION_TIMEOUT_MS_KEY,
            "kafka.commit.interval.ms", "commit.interval.ms",
            "kafka.main.consumer.session.timeout.ms", "session.timeout.ms",
            "kafka.default.deserialization.exception.handler", "dead-letter handler",
            "kafka.main.consumer.default.api.timeout.ms", TRANSACTION_TIMEOUT_MS_KEY);
    expected.forEach(
        (key, hint) -> {
          ConfigException e =
              assertThrows(
                  ConfigException.class, () -> ArmguardConfig.from(Map.of(key, "1000"), Map.of()));
          assertTrue(e.getMessage().contains(key), e.getMessage());
          assertTrue(e.getMessage().contains(hint), e.getMessage());
        });
    // settings armguard does not manage still pass through, the admin's api timeout among them
    assertEquals(
        "30000",
        ArmguardConfig.from(Map.of("kafka.admin.default.api.timeout.ms", "30000"), Map.of())
            .kafkaOverrides()
            .get("admin.default.api.timeout.ms"));
    assertEquals(
        "SASL_SSL",
        ArmguardConfig.from(Map.of("kafka.security.protocol", "SASL_SSL"), Map.of())
            .kafkaOverrides()
            .get("security.protocol"));
  }

  private static final String TRANSACTION_TIMEOUT_MS_KEY = "transaction.timeout.ms";

  @Test
  void theRegistryRetryBudgetMustEndWellInsideTheTransactionTimeout() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                ArmguardConfig.from(
                    Map.of(
                        "schema.registry.retry.max.ms",
                        "90000",
                        "transaction.timeout.ms",
                        "120000"),
                    Map.of()));
    assertTrue(e.getMessage().contains("schema.registry.retry.max.ms"), e.getMessage());
  }
}
