package io.armguard.testing;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a {@link BrokerProcess}'s client listener is secured: the {@code server.properties} lines it
 * needs, the SCRAM credentials formatting adds, and what a client needs to connect. {@link
 * #plaintext()} is the system tests' default; {@link #saslSsl} is a production-like listener (TLS
 * with a test CA, SCRAM-SHA-512), which the broker also uses for its own inter-broker traffic
 * (transaction markers), as its internal user. Immutable.
 */
public final class BrokerSecurity {

  /** The SASL mechanism of {@link #saslSsl}: SCRAM, as production.properties uses. */
  public static final String SCRAM = "SCRAM-SHA-512";

  private static final String SCRAM_LOGIN =
      "org.apache.kafka.common.security.scram.ScramLoginModule";

  /** The broker's own user (inter-broker traffic, and {@link BrokerProcess#admin()}). */
  private static final String BROKER_USER = "broker";

  private final String protocol;
  private final TestCertificates tls;
  private final Map<String, String> users;

  private BrokerSecurity(String protocol, TestCertificates tls, Map<String, String> users) {
    this.protocol = protocol;
    this.tls = tls;
    this.users = users;
  }

  /** No TLS, no authentication. */
  public static BrokerSecurity plaintext() {
    return new BrokerSecurity("PLAINTEXT", null, Map.of());
  }

  /**
   * A SASL_SSL listener: TLS with {@code tls}'s server key store, SCRAM-SHA-512 with {@code users}
   * (name → password; names and passwords without commas, brackets or quotes) created when the log
   * directory is formatted, besides the broker's own user.
   */
  public static BrokerSecurity saslSsl(TestCertificates tls, Map<String, String> users) {
    Map<String, String> all = new LinkedHashMap<>(users);
    all.put(BROKER_USER, "broker-" + Long.toHexString(new SecureRandom().nextLong()));
    return new BrokerSecurity("SASL_SSL", tls, Map.copyOf(all));
  }

  /** The listener's name and security protocol (the same word). */
  String protocol() {
    return protocol;
  }

  /** The listener-specific lines of {@code server.properties}. */
  List<String> serverProperties() {
    List<String> lines = new ArrayList<>();
    lines.add("inter.broker.listener.name=" + protocol);
    if (tls == null) {
      return lines;
    }
    lines.add("sasl.enabled.mechanisms=" + SCRAM);
    lines.add("sasl.mechanism.inter.broker.protocol=" + SCRAM);
    lines.add(
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config="
            + jaas(BROKER_USER, users.get(BROKER_USER)));
    lines.add("ssl.keystore.type=PKCS12");
    lines.add("ssl.keystore.location=" + tls.serverKeyStore());
    lines.add("ssl.keystore.password=" + tls.password());
    lines.add("ssl.key.password=" + tls.password());
    // the broker is a TLS client of itself (inter-broker listener)
    lines.add("ssl.truststore.type=PKCS12");
    lines.add("ssl.truststore.location=" + tls.trustStore());
    lines.add("ssl.truststore.password=" + tls.password());
    return lines;
  }

  /** What {@code kafka-storage format} adds: one SCRAM credential per user. */
  List<String> formatArguments() {
    List<String> args = new ArrayList<>();
    users.forEach(
        (name, password) -> {
          args.add("--add-scram");
          args.add(SCRAM + "=[name=" + name + ",password=" + password + "]");
        });
    return args;
  }

  /** The admin client's security settings: the broker's own user. */
  Map<String, Object> adminProperties() {
    return tls == null ? Map.of() : clientProperties(BROKER_USER, users.get(BROKER_USER));
  }

  /**
   * The security settings of a client that logs in as {@code user} with {@code password} (the
   * password need not be the right one: a test of refused credentials uses this too); empty for a
   * plaintext listener.
   */
  public Map<String, Object> clientProperties(String user, String password) {
    if (tls == null) {
      return Map.of();
    }
    Map<String, Object> p = new HashMap<>();
    p.put("security.protocol", protocol);
    p.put("sasl.mechanism", SCRAM);
    p.put("sasl.jaas.config", jaas(user, password));
    p.put("ssl.truststore.type", "PKCS12");
    p.put("ssl.truststore.location", tls.trustStore().toString());
    p.put("ssl.truststore.password", tls.password());
    return p;
  }

  private static String jaas(String user, String password) {
    return SCRAM_LOGIN + " required username=\"" + user + "\" password=\"" + password + "\";";
  }
}
