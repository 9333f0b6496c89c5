package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.config.ArmguardConfig;
import io.armguard.testing.FreePorts;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

/**
 * The start-up login check's decisions: a refused login is one line naming the cluster, user,
 * mechanism and the setting to check, never the secret; anything else is left to Kafka Streams.
 * (Against a real SASL_SSL broker: {@code SecuredClusterIT}.)
 */
class BrokerLoginTest {

  private static final String PASSWORD = "pw-31c7-not-in-messages";

  private static ArmguardConfig config(String bootstrap, Map<String, String> more) {
    Map<String, String> props = new java.util.HashMap<>(more);
    props.put("bootstrap.servers", bootstrap);
    return ArmguardConfig.from(props, Map.of());
  }

  private static final ArmguardConfig SCRAM =
      config(
          "kafka-1:9093,kafka-2:9093",
          Map.of(
              "kafka.security.protocol", "SASL_SSL",
              "kafka.sasl.mechanism", "SCRAM-SHA-512",
              "kafka.sasl.jaas.config",
                  "org.apache.kafka.common.security.scram.ScramLoginModule required"
                      + " username=\"armguard\" password=\""
                      + PASSWORD
                      + "\";"));

  @Test
  void aRefusedSaslLoginIsOneLineNamingUserMechanismAndSetting() {
    var refused =
        new SaslAuthenticationException(
            "Authentication failed during authentication due to invalid credentials with SASL"
                + " mechanism SCRAM-SHA-512");
    Optional<String> line =
        BrokerLogin.refusal(new StreamsException(new StreamsException(refused)), SCRAM);
    assertEquals(
        Optional.of(
            "cannot log in to Kafka at kafka-1:9093,kafka-2:9093 as user armguard (SASL_SSL,"
                + " SCRAM-SHA-512): Authentication failed during authentication due to invalid"
                + " credentials with SASL mechanism SCRAM-SHA-512; check the user and password in"
                + " kafka.sasl.jaas.config"),
        line);
    assertTrue(BrokerLogin.isRefusedLogin(new StreamsException(refused)));
  }

  @Test
  void aRefusedTlsHandshakeNamesTheTrustStoreAndTheRootCause() {
    var refused =
        new SslAuthenticationException(
            "SSL handshake failed",
            new SSLHandshakeException("PKIX path building failed: unable to find a valid path"));
    String line = BrokerLogin.refusal(refused, SCRAM).orElseThrow();
    assertTrue(line.startsWith("TLS handshake with Kafka at kafka-1:9093,kafka-2:9093 failed"));
    assertTrue(line.contains("PKIX path building failed"), line);
    assertTrue(line.contains("kafka.ssl.truststore.location"), line);
  }

  @Test
  void aPasswordQuotedBackByKafkaIsHidden() {
    String line =
        BrokerLogin.refusal(
                new SaslAuthenticationException("bad JAAS entry password=\"" + PASSWORD + "\""),
                SCRAM)
            .orElseThrow();
    assertFalse(line.contains(PASSWORD), line);
    assertTrue(line.contains("password=[hidden]"), line);
  }

  @Test
  void otherFailuresAreNotRefusedLogins() {
    assertEquals(
        Optional.empty(),
        BrokerLogin.refusal(new StreamsException(new TimeoutException("no broker")), SCRAM));
    assertFalse(BrokerLogin.isRefusedLogin(new IllegalStateException("boom")));
  }

  @Test
  void anUnreachableBrokerIsLeftToKafkaStreamsWithinTheTimeout() {
    ArmguardConfig plain = config("127.0.0.1:" + FreePorts.next(), Map.of());
    long t0 = System.nanoTime();
    BrokerLogin.check(plain, Duration.ofSeconds(2));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(seconds < 10, "returned after " + seconds + " s");
  }

  @Test
  void clientSettingsKafkaCannotUseFailAtOnceInOneLine() {
    ArmguardConfig badStore =
        config(
            "127.0.0.1:" + FreePorts.next(),
            Map.of(
                "kafka.security.protocol", "SSL",
                "kafka.ssl.truststore.location", "/no/such/truststore.p12",
                "kafka.ssl.truststore.password", PASSWORD));
    BrokerLoginException e =
        assertThrows(
            BrokerLoginException.class, () -> BrokerLogin.check(badStore, Duration.ofSeconds(2)));
    assertTrue(e.getMessage().startsWith("cannot create a Kafka client"), e.getMessage());
    assertTrue(e.getMessage().contains("/no/such/truststore.p12"), e.getMessage());
    assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }
}
