package io.armguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientPropertiesTest {

  private static final ArmguardConfig CONFIG =
      ArmguardConfig.from(
          Map.of(
              "bootstrap.servers", "broker:9093",
              "kafka.security.protocol", "SASL_SSL",
              "kafka.sasl.mechanism", "SCRAM-SHA-512",
              "kafka.replication.factor", "3",
              "kafka.producer.linger.ms", "5",
              "kafka.consumer.fetch.max.wait.ms", "100",
              "kafka.main.consumer.fetch.max.wait.ms", "50",
              "kafka.consumer.group.id", "the-service",
              "kafka.admin.retries", "2"),
          Map.of());

  @Test
  void aProducerGetsTheClusterItsSecurityAndItsPrefixedSettingsOnly() {
    assertEquals(
        Map.of(
            "bootstrap.servers", "broker:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "linger.ms", "5"),
        ClientProperties.producer(CONFIG));
  }

  @Test
  void aConsumerGetsTheMostSpecificPrefixAndNeverTheServicesGroup() {
    Map<String, Object> c = ClientProperties.consumer(CONFIG);
    assertEquals("SASL_SSL", c.get("security.protocol"));
    assertEquals("50", c.get("fetch.max.wait.ms"), "main.consumer. over consumer.");
    assertFalse(c.containsKey("group.id"));
    assertFalse(c.containsKey("replication.factor"), "a Streams-only setting");
    assertFalse(c.containsKey("linger.ms"), "a producer setting");
  }

  @Test
  void anAdminClientGetsTheSecurityAndItsPrefixedSettingsOnly() {
    assertEquals(
        Map.of(
            "bootstrap.servers", "broker:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "retries", "2"),
        ClientProperties.admin(CONFIG));
  }
}
