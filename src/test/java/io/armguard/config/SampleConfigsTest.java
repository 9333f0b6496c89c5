package io.armguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.serde.RegistryClientConfig;
import io.armguard.serde.SchemaIdSource;
import io.armguard.streams.ArmguardTopology;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every sample configuration under topologies/ loads through {@link ArmguardConfig} (unknown keys
 * or invalid values would fail), and the security settings reach the clients they are meant for.
 */
class SampleConfigsTest {

  private static final Path DIR = Path.of("topologies");

  /** The secrets production.properties reads from the environment ({@code ${env:...}}). */
  static final Map<String, String> SECRETS_ENV =
      Map.of(
          "KAFKA_PASSWORD", "kafka-pw",
          "TRUSTSTORE_PASSWORD", "trust-pw",
          "REGISTRY_USER_INFO", "armguard:registry-pw");

  static ArmguardConfig load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    Map<String, String> props = new HashMap<>();
    p.stringPropertyNames().forEach(n -> props.put(n, p.getProperty(n)));
    // no ARMGUARD_* environment: the file alone must be valid, given the secrets it references
    return ArmguardConfig.from(props, SECRETS_ENV);
  }

  @Test
  void everySampleLoads() throws IOException {
    List<Path> samples;
    try (Stream<Path> files = Files.list(DIR)) {
      samples = files.filter(f -> f.toString().endsWith(".properties")).sorted().toList();
    }
    assertEquals(
        List.of("compose.properties", "local.properties", "production.properties"),
        samples.stream().map(p -> p.getFileName().toString()).toList());
    for (Path sample : samples) {
      ArmguardConfig config = load(sample);
      assertFalse(config.bootstrapServers().isBlank(), sample.toString());
      assertEquals(
          "exactly_once_v2",
          ArmguardTopology.streamsProperties(config).getProperty("processing.guarantee"),
          sample.toString());
    }
  }

  @Test
  void productionUsesSaslSslAndRegistryBasicAuth() throws IOException {
    ArmguardConfig config = load(DIR.resolve("production.properties"));
    Properties streams = ArmguardTopology.streamsProperties(config);
    assertEquals("SASL_SSL", streams.getProperty("security.protocol"));
    assertEquals("SCRAM-SHA-512", streams.getProperty("sasl.mechanism"));
    assertTrue(streams.getProperty("sasl.jaas.config").contains("ScramLoginModule"));
    assertTrue(streams.getProperty("sasl.jaas.config").contains("password=\"kafka-pw\""));
    assertEquals("trust-pw", streams.getProperty("ssl.truststore.password"));
    RegistryClientConfig registry = RegistryClientConfig.from(config.registryProperties());
    assertTrue(registry.url().startsWith("https://"), registry.url());
    assertEquals("armguard:registry-pw", registry.basicAuthUserInfo());
    assertEquals("trust-pw", registry.trustStorePassword());
    assertEquals("/etc/armguard/truststore.p12", registry.trustStorePath());
    assertEquals(
        SchemaIdSource.LATEST_VERSION,
        registry.idSource(),
        "pre-registered schemas: auto.register.schemas=false, use.latest.version=true");
  }

  @Test
  void composeTalksToTheComposeServices() throws IOException {
    ArmguardConfig config = load(DIR.resolve("compose.properties"));
    assertEquals("kafka:29092", config.bootstrapServers());
    assertEquals(
        "http://schema-registry:8081",
        RegistryClientConfig.from(config.registryProperties()).url());
  }
}
