package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.decode.Strategy;
import io.armguard.moderate.Task;
import io.armguard.moderate.Verdict;
import io.armguard.schema.Action;
import io.armguard.schema.Mode;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every Avro enum and its domain twin have the same symbols (apart from the Avro-only UNKNOWN
 * default, and REJECTED, which validation decides before any verdict), and {@link SchemaEnums} maps
 * each symbol to its namesake. Adding a symbol on one side only fails here.
 */
class SchemaEnumsTest {

  private static Set<String> names(Enum<?>[] values, String... avroOnly) {
    Set<String> s =
        Arrays.stream(values).map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
    Arrays.asList(avroOnly).forEach(s::remove);
    return s;
  }

  @Test
  void modesAndTaskKindsMatch() {
    assertEquals(names(Task.Kind.values()), names(Mode.values(), "UNKNOWN"));
    SchemaEnums.kinds().forEach((avro, kind) -> assertEquals(avro.name(), kind.name()));
    assertEquals(Task.Kind.values().length, SchemaEnums.kinds().size());
    assertTrue(SchemaEnums.kind(Mode.UNKNOWN).isEmpty());
  }

  @Test
  void strategiesMatch() {
    assertEquals(names(Strategy.values()), names(io.armguard.schema.Strategy.values(), "UNKNOWN"));
    SchemaEnums.strategies().forEach((avro, s) -> assertEquals(avro.name(), s.name()));
    for (Strategy s : Strategy.values()) {
      assertEquals(s.name(), SchemaEnums.avro(s).name());
    }
    assertTrue(SchemaEnums.strategy(io.armguard.schema.Strategy.UNKNOWN).isEmpty());
  }

  @Test
  void everyConfigurableStrategyIsASchemaSymbolAndEveryDomainStrategyIsConfigurable() {
    Set<String> configurable = new TreeSet<>();
    for (String name : io.armguard.config.ArmguardConfig.DECODE_STRATEGIES) {
      configurable.add(SchemaEnums.configuredStrategy(name).name());
    }
    assertEquals(names(Strategy.values()), configurable);
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> SchemaEnums.configuredStrategy("unknown"));
  }

  @Test
  void actionsMatch() {
    assertEquals(names(Verdict.Action.values()), names(Action.values(), "UNKNOWN", "REJECTED"));
    for (Verdict.Action a : Verdict.Action.values()) {
      assertEquals(a.name(), SchemaEnums.avro(a).name());
    }
  }

  @Test
  void unknownIsEveryAvroEnumsDefault() {
    assertEquals(SchemaEnums.UNKNOWN, Mode.getClassSchema().getEnumDefault());
    assertEquals(
        SchemaEnums.UNKNOWN, io.armguard.schema.Strategy.getClassSchema().getEnumDefault());
    assertEquals(SchemaEnums.UNKNOWN, Action.getClassSchema().getEnumDefault());
  }
}
