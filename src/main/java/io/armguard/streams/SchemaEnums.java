package io.armguard.streams;

import io.armguard.decode.Strategy;
import io.armguard.moderate.Task;
import io.armguard.moderate.Verdict;
import io.armguard.schema.Action;
import io.armguard.schema.Mode;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one place where every Avro enum meets its domain twin: {@link Mode} ↔ {@link Task.Kind},
 * {@link io.armguard.schema.Strategy} ↔ {@link Strategy}, {@link Action} ↔ {@link Verdict.Action}.
 * Each map is written out symbol by symbol (no {@code valueOf(name())}), so adding a symbol on one
 * side fails {@code SchemaEnumsTest} until it is mapped here.
 *
 * <p>The Avro enums carry an {@code UNKNOWN} default symbol: a newer writer's symbol that this
 * reader does not know reads as UNKNOWN, which has no domain twin ({@link Optional#empty()}) and is
 * REJECTED by validation, never coerced to a known symbol. Stateless and thread-safe.
 */
public final class SchemaEnums {

  private SchemaEnums() {}

  private static final Map<Mode, Task.Kind> KINDS = new EnumMap<>(Mode.class);
  private static final Map<io.armguard.schema.Strategy, Strategy> STRATEGIES =
      new EnumMap<>(io.armguard.schema.Strategy.class);
  private static final Map<Strategy, io.armguard.schema.Strategy> AVRO_STRATEGIES =
      new EnumMap<>(Strategy.class);
  private static final Map<String, io.armguard.schema.Strategy> CONFIGURED_STRATEGIES =
      Map.of(
          "arm", io.armguard.schema.Strategy.ARM,
          "rad", io.armguard.schema.Strategy.RAD,
          "unguided", io.armguard.schema.Strategy.UNGUIDED);
  private static final Map<Verdict.Action, Action> ACTIONS = new EnumMap<>(Verdict.Action.class);

  static {
    KINDS.put(Mode.GENERATE, Task.Kind.GENERATE);
    KINDS.put(Mode.MODERATE, Task.Kind.MODERATE);

    STRATEGIES.put(io.armguard.schema.Strategy.ARM, Strategy.ARM);
    STRATEGIES.put(io.armguard.schema.Strategy.RAD, Strategy.RAD);
    STRATEGIES.put(io.armguard.schema.Strategy.UNGUIDED, Strategy.UNGUIDED);
    STRATEGIES.forEach((avro, domain) -> AVRO_STRATEGIES.put(domain, avro));

    ACTIONS.put(Verdict.Action.GENERATED, Action.GENERATED);
    ACTIONS.put(Verdict.Action.ALLOWED, Action.ALLOWED);
    ACTIONS.put(Verdict.Action.REWRITTEN, Action.REWRITTEN);
    ACTIONS.put(Verdict.Action.REDACTED, Action.REDACTED);
    ACTIONS.put(Verdict.Action.BLOCKED, Action.BLOCKED);
  }

  /** The Avro symbols that stand for "a newer writer's symbol" and have no domain twin. */
  public static final String UNKNOWN = "UNKNOWN";

  /** The task kind of a request's mode; empty for UNKNOWN. */
  public static Optional<Task.Kind> kind(Mode mode) {
    return Optional.ofNullable(KINDS.get(mode));
  }

  /**
   * The schema's strategy for a {@code decode.strategy} value ({@link
   * io.armguard.config.ArmguardConfig#DECODE_STRATEGIES}, which the configuration has validated).
   *
   * @throws IllegalArgumentException for a value the configuration would not accept
   */
  public static io.armguard.schema.Strategy configuredStrategy(String name) {
    io.armguard.schema.Strategy s = CONFIGURED_STRATEGIES.get(name);
    if (s == null) {
      throw new IllegalArgumentException("decode.strategy " + name + " has no schema symbol");
    }
    return s;
  }

  /** The decoding strategy of a request's strategy; empty for UNKNOWN. */
  public static Optional<Strategy> strategy(io.armguard.schema.Strategy strategy) {
    return Optional.ofNullable(STRATEGIES.get(strategy));
  }

  /** The Avro symbol of a decoding strategy (for the audit). */
  public static io.armguard.schema.Strategy avro(Strategy strategy) {
    return AVRO_STRATEGIES.get(strategy);
  }

  /** The Avro symbol of a verdict's action (REJECTED and UNKNOWN have no verdict twin). */
  public static Action avro(Verdict.Action action) {
    return ACTIONS.get(action);
  }

  /** The Avro modes that have a twin (all but UNKNOWN), for tests. */
  static Map<Mode, Task.Kind> kinds() {
    return Map.copyOf(KINDS);
  }

  static Map<io.armguard.schema.Strategy, Strategy> strategies() {
    return Map.copyOf(STRATEGIES);
  }

  static Map<Verdict.Action, Action> actions() {
    return Map.copyOf(ACTIONS);
  }
}
