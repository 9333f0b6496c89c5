package io.armguard.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One documented configuration key: its name, default, documentation and how a raw string value is
 * parsed and checked. Parsing failures become a {@link ConfigException} naming the key and the
 * allowed values.
 *
 * @param name the key as written in a properties file
 * @param defaultValue the value used when neither the file nor the environment sets it
 * @param doc one sentence for the docs table and {@code --help}
 * @param allowed human-readable description of the allowed values
 * @param parser parses a raw value, returning null when it is not allowed
 */
public record ConfigKey(
    String name, String defaultValue, String doc, String allowed, Function<String, Object> parser) {

  /**
   * The symbol a schema enum reads a newer writer's unknown symbol as: never a configurable value.
   */
  static final String UNKNOWN = "UNKNOWN";

  /** The environment variable that overrides this key: {@code ARMGUARD_} + upper-cased name. */
  public String envVar() {
    return "ARMGUARD_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** Parses {@code raw} (from {@code origin}, e.g. a file or env var) or fails naming the key. */
  public Object parse(String raw, String origin) {
    Object value;
    try {
      value = parser.apply(raw.trim());
    } catch (RuntimeException e) {
      value = null;
    }
    if (value == null) {
      throw new ConfigException(
          name, "invalid value '" + raw + "' (from " + origin + "); allowed: " + allowed);
    }
    return value;
  }

  static ConfigKey intKey(String name, int def, int min, int max, String doc) {
    return new ConfigKey(
        name,
        Integer.toString(def),
        doc,
        "an integer in [" + min + ", " + max + "]",
        s -> {
          int v = Integer.parseInt(s);
          return v >= min && v <= max ? v : null;
        });
  }

  static ConfigKey floatKey(String name, float def, float min, float max, String doc) {
    return new ConfigKey(
        name,
        Float.toString(def),
        doc,
        "a finite number in [" + min + ", " + max + "]",
        s -> {
          float v = Float.parseFloat(s);
          return Float.isFinite(v) && v >= min && v <= max ? v : null;
        });
  }

  static ConfigKey stringKey(String name, String def, boolean mayBeEmpty, String doc) {
    return new ConfigKey(
        name,
        def,
        doc,
        mayBeEmpty ? "any text" : "a non-empty text",
        s -> mayBeEmpty || !s.isEmpty() ? s : null);
  }

  /** One of a fixed set of lower-case words (given in any case; stored lower-case). */
  static ConfigKey choiceKey(String name, String def, java.util.List<String> choices, String doc) {
    return new ConfigKey(
        name,
        def,
        doc,
        "one of " + String.join(", ", choices),
        s -> {
          String v = s.toLowerCase(Locale.ROOT);
          return choices.contains(v) ? v : null;
        });
  }

  static ConfigKey boolKey(String name, boolean def, String doc) {
    return new ConfigKey(
        name,
        Boolean.toString(def),
        doc,
        "true or false",
        s ->
            s.equalsIgnoreCase("true") ? Boolean.TRUE : s.equalsIgnoreCase("false") ? false : null);
  }

  static <E extends Enum<E>> ConfigKey enumKey(String name, E def, Class<E> type, String doc) {
    String names =
        Arrays.stream(type.getEnumConstants())
            .map(Enum::name)
            .filter(n -> !n.equals(UNKNOWN))
            .collect(Collectors.joining(", "));
    return new ConfigKey(
        name,
        def.name(),
        doc,
        "one of " + names,
        s -> {
          E v = Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
          return v.name().equals(UNKNOWN) ? null : v;
        });
  }
}
