package io.armguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Environment pass-through, config providers, redaction and "did you mean". */
class ConfigSourcesTest {

  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"armguard\""
          + " password=\"s3cr3t-from-env\";";

  @Test
  void kafkaAndRegistrySecretsComeFromTheEnvironmentOverTheFile() {
    ArmguardConfig c =
        ArmguardConfig.from(
            Map.of("kafka.security.protocol", "PLAINTEXT", "basic.auth.user.info", "a:CHANGE_ME"),
            Map.of(
                "ARMGUARD_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "ARMGUARD_KAFKA_SASL_JAAS_CONFIG", JAAS,
                "ARMGUARD_BASIC_AUTH_USER_INFO", "armguard:registry-pw",
                "ARMGUARD_SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD", "trust-pw",
                "ARMGUARD_BATCH_SIZE", "16",
                "ARMGUARD_JAVA_OPTS", "-Xmx1g"));
    assertEquals("SASL_SSL", c.kafkaOverrides().get("security.protocol"));
    assertEquals(JAAS, c.kafkaOverrides().get("sasl.jaas.config"));
    assertEquals("armguard:registry-pw", c.registryProperties().get("basic.auth.user.info"));
    assertEquals("trust-pw", c.registryProperties().get("schema.registry.ssl.truststore.password"));
    assertEquals(16, c.batchSize());
    assertFalse(c.kafkaOverrides().containsKey("java.opts"));
  }

  @Test
  void configProvidersResolveEnvFileAndDirectoryReferences(@TempDir Path dir) throws Exception {
    Path secrets = dir.resolve("kafka.properties");
    Files.writeString(secrets, "password=from-file\n");
    Files.writeString(dir.resolve("token"), "from-dir");
    ArmguardConfig c =
        ArmguardConfig.from(
            Map.of(
                "kafka.ssl.truststore.password", "${file:" + secrets + ":password}",
                "kafka.sasl.jaas.config", "${env:JAAS}",
                "basic.auth.user.info", "armguard:${dir:" + dir + ":token}"),
            Map.of("JAAS", JAAS, "ARMGUARD_BOOTSTRAP_SERVERS", "${env:BROKERS}", "BROKERS", "k:9"));
    assertEquals("from-file", c.kafkaOverrides().get("ssl.truststore.password"));
    assertEquals(JAAS, c.kafkaOverrides().get("sasl.jaas.config"));
    assertEquals("armguard:from-dir", c.registryProperties().get("basic.auth.user.info"));
    assertEquals("k:9", c.bootstrapServers());
  }

  @Test
  void anUnresolvableReferenceFailsNamingTheKeyNotAValue() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                ArmguardConfig.from(Map.of("kafka.sasl.jaas.config", "${env:NOT_SET}"), Map.of()));
    assertTrue(e.getMessage().contains("kafka.sasl.jaas.config"), e.getMessage());
    assertTrue(e.getMessage().contains("${env:NOT_SET}"), e.getMessage());
  }

  @Test
  void aReferenceOfAnotherProviderIsLeftForKafka() {
    ArmguardConfig c =
        ArmguardConfig.from(
            Map.of("kafka.sasl.jaas.config", "${vault:secret/kafka:jaas}"), Map.of());
    assertEquals("${vault:secret/kafka:jaas}", c.kafkaOverrides().get("sasl.jaas.config"));
  }

  @Test
  void describeHidesEverySecretAndUrlUserInfo() {
    ArmguardConfig c =
        ArmguardConfig.from(
            Map.of(
                "schema.registry.url", "https://u:url-pw@registry:8081",
                "kafka.ssl.key.password", "key-pw",
                "kafka.producer.sasl.jaas.config", JAAS,
                "kafka.security.protocol", "SASL_SSL"),
            Map.of(
                "ARMGUARD_BASIC_AUTH_USER_INFO",
                "armguard:registry-pw",
                "ARMGUARD_SCHEMA_REGISTRY_SSL_KEYSTORE_PASSWORD",
                "ks-pw"));
    String described = c.describe().toString();
    for (String secret : new String[] {"url-pw", "key-pw", "s3cr3t", "registry-pw", "ks-pw"}) {
      assertFalse(described.contains(secret), secret + " leaked: " + described);
    }
    assertEquals("SASL_SSL", c.describe().get("kafka.security.protocol"));
    assertEquals("32", c.describe().get("decode.max.new.tokens"));
    assertEquals(ConfigRedaction.HIDDEN, c.describe().get("kafka.ssl.key.password"));
    assertEquals("https://[hidden]@registry:8081", c.describe().get("schema.registry.url"));
  }

  @Test
  void unknownKeysGetASuggestion() {
    ConfigException typo =
        assertThrows(
            ConfigException.class, () -> ArmguardConfig.from(Map.of("batch.sise", "4"), Map.of()));
    assertTrue(typo.getMessage().contains("did you mean batch.size?"), typo.getMessage());
    ConfigException bare =
        assertThrows(
            ConfigException.class,
            () -> ArmguardConfig.from(Map.of("security.protocol", "SSL"), Map.of()));
    assertTrue(bare.getMessage().contains("kafka.security.protocol"), bare.getMessage());
    assertTrue(bare.getMessage().contains("ARMGUARD_KAFKA_SECURITY_PROTOCOL"), bare.getMessage());
  }

  @Test
  void kafkaKeysAreCheckedAgainstStreamsAndClientConfigs() {
    assertTrue(KafkaConfigNames.isKnown("security.protocol"));
    assertTrue(KafkaConfigNames.isKnown("producer.linger.ms"));
    assertTrue(KafkaConfigNames.isKnown("main.consumer.max.poll.records"));
    assertTrue(KafkaConfigNames.isKnown("topic.min.insync.replicas"));
    assertFalse(KafkaConfigNames.isKnown("security.protocoll"));
    assertEquals(
        "security.protocol",
        ConfigSuggestions.closest("security.protocoll", KafkaConfigNames.all()).orElseThrow());
  }
}
