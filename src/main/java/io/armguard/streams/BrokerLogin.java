package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import io.armguard.config.ClientProperties;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up check that the cluster accepts the service's credentials: one admin {@code
 * describeCluster} with the service's client settings, before the models are loaded and Kafka
 * Streams starts. A refused login (SASL: wrong password, unknown user, mechanism not enabled; TLS:
 * untrusted certificate, host-name mismatch) or client settings Kafka cannot use (a trust store
 * that cannot be read) fail start-up with one {@link BrokerLoginException}: every client of the
 * service would be refused the same way, and Kafka Streams would replace its threads forever. A
 * broker that does not answer within the timeout is no error here: the service starts and waits for
 * it, as it would without the check ({@code /ready} shows it). Stateless.
 */
public final class BrokerLogin {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerLogin.class);

  /** How long the check waits for a broker before leaving it to Kafka Streams. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final Pattern JAAS_USER = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

  /** A password Kafka might quote back from a JAAS line it could not parse. */
  private static final Pattern PASSWORD =
      Pattern.compile("(?i)(password\\s*=\\s*)(\"[^\"]*\"|\\S+)");

  private BrokerLogin() {}

  /**
   * Logs in once with {@code config}'s admin-client settings ({@link ClientProperties#admin}).
   *
   * @throws BrokerLoginException if the broker refuses the login or the client cannot be built
   */
  public static void check(ArmguardConfig config, Duration timeout) {
    Map<String, Object> props = ClientProperties.admin(config);
    int ms = (int) timeout.toMillis();
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, config.applicationId() + "-login-check");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
    Admin admin;
    try {
      admin = Admin.create(props);
    } catch (KafkaException e) {
      throw new BrokerLoginException(
          "cannot create a Kafka client with the kafka.* settings: " + rootMessage(e), e);
    }
    try (admin) {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(ms))
          .clusterId()
          .get(ms + 1_000L, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Optional<String> refused = refusal(e.getCause(), config);
      if (refused.isPresent()) {
        throw new BrokerLoginException(refused.get(), e.getCause());
      }
      LOG.info("broker not reached at start-up ({}); Kafka Streams will keep trying", e.getCause());
    } catch (TimeoutException e) {
      LOG.info("no broker answered within {} ms; Kafka Streams will keep trying", ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The one line that explains {@code failure} if it is a refused login ({@link
   * AuthenticationException} anywhere in its causes), else empty. It names the cluster, the
   * protocol, mechanism and user, Kafka's reason and the settings to check; never a secret.
   */
  public static Optional<String> refusal(Throwable failure, ArmguardConfig config) {
    AuthenticationException refused = authenticationCause(failure);
    if (refused == null) {
      return Optional.empty();
    }
    Map<String, String> kafka = config.kafkaOverrides();
    String protocol = kafka.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
    if (refused instanceof SslAuthenticationException) {
      return Optional.of(
          "TLS handshake with Kafka at "
              + config.bootstrapServers()
              + " failed ("
              + protocol
              + "): "
              + rootMessage(refused)
              + "; check kafka.ssl.truststore.location and the broker's certificate");
    }
    String mechanism =
        kafka.getOrDefault(SaslConfigs.SASL_MECHANISM, SaslConfigs.DEFAULT_SASL_MECHANISM);
    return Optional.of(
        "cannot log in to Kafka at "
            + config.bootstrapServers()
            + " as "
            + user(kafka.get(SaslConfigs.SASL_JAAS_CONFIG))
            + " ("
            + protocol
            + ", "
            + mechanism
            + "): "
            + rootMessage(refused)
            + "; check the user and password in kafka.sasl.jaas.config");
  }

  /** Whether {@code failure} or one of its causes is a refused login. */
  public static boolean isRefusedLogin(Throwable failure) {
    return authenticationCause(failure) != null;
  }

  private static AuthenticationException authenticationCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof AuthenticationException a) {
        return a;
      }
    }
    return null;
  }

  /** The JAAS line's user name (not a secret), or a placeholder. */
  private static String user(String jaas) {
    if (jaas == null) {
      return "(no kafka.sasl.jaas.config)";
    }
    Matcher m = JAAS_USER.matcher(jaas);
    return m.find() ? "user " + m.group(1) : "(no user name in kafka.sasl.jaas.config)";
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return PASSWORD.matcher(message).replaceAll("$1[hidden]");
  }
}
