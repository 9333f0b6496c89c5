package io.armguard.config;

/**
 * A configuration value that armguard refuses at start-up. The message always names the key, where
 * the value came from, and what is allowed, so an operator can fix it without reading code.
 */
public final class ConfigException extends IllegalArgumentException {

  private final String key;

  public ConfigException(String key, String message) {
    super(key + ": " + message);
    this.key = key;
  }

  /** The offending key (or keys, comma separated, for a cross-field check). */
  public String key() {
    return key;
  }
}
