package io.armguard.serde;

import java.util.Map;

/**
 * Schema-registry client settings, under the key names Confluent's serdes use, so an existing
 * client configuration works unchanged.
 *
 * @param url {@code http(s)://host:port[/path]} of a Confluent-compatible API, or {@code
 *     mock://scope} for the in-memory registry
 * @param basicAuthUserInfo {@code user:password}, or null
 * @param trustStorePath PKCS12/JKS trust store for https, or null for the JVM default
 * @param trustStorePassword its password, or null
 * @param keyStorePath key store for mutual TLS, or null
 * @param keyStorePassword its password, or null
 * @param autoRegister whether serializers register schemas (else they look them up)
 * @param useLatestVersion with {@code autoRegister} false: serializers write under the subject's
 *     latest registered version instead of looking up their own schema (Confluent's {@code
 *     use.latest.version}; ignored when {@code autoRegister} is true, as in Confluent's serdes)
 */
public record RegistryClientConfig(
    String url,
    String basicAuthUserInfo,
    String trustStorePath,
    String trustStorePassword,
    String keyStorePath,
    String keyStorePassword,
    boolean autoRegister,
    boolean useLatestVersion) {

  public static final String URL = "schema.registry.url";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  public static final String KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
  public static final String KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
  public static final String AUTO_REGISTER = "auto.register.schemas";
  public static final String USE_LATEST_VERSION = "use.latest.version";

  /** Reads the settings from a Kafka-style config map; {@code schema.registry.url} is required. */
  public static RegistryClientConfig from(Map<String, ?> configs) {
    Object url = configs.get(URL);
    if (url == null || url.toString().isBlank()) {
      throw new IllegalArgumentException(
          URL
              + " is required (http(s)://host:port of a Confluent-compatible registry, or mock://scope)");
    }
    Object auto = configs.get(AUTO_REGISTER);
    Object latest = configs.get(USE_LATEST_VERSION);
    return new RegistryClientConfig(
        url.toString().trim(),
        string(configs, BASIC_AUTH_USER_INFO),
        string(configs, TRUSTSTORE_LOCATION),
        string(configs, TRUSTSTORE_PASSWORD),
        string(configs, KEYSTORE_LOCATION),
        string(configs, KEYSTORE_PASSWORD),
        auto == null || Boolean.parseBoolean(auto.toString()),
        latest != null && Boolean.parseBoolean(latest.toString()));
  }

  /** Where a serializer gets the id it writes under, by these settings. */
  public SchemaIdSource idSource() {
    if (autoRegister) {
      return SchemaIdSource.REGISTER;
    }
    return useLatestVersion ? SchemaIdSource.LATEST_VERSION : SchemaIdSource.LOOKUP;
  }

  private static String string(Map<String, ?> configs, String key) {
    Object value = configs.get(key);
    return value == null || value.toString().isBlank() ? null : value.toString();
  }

  /** True for a {@code mock://scope} URL. */
  public boolean isMock() {
    return url.startsWith("mock://");
  }
}
