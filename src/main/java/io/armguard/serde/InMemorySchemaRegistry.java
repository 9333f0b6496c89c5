package io.armguard.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A schema registry held in memory, selected by a {@code mock://scope} URL as Confluent's serdes
 * do: every client of one scope in this JVM sees the same subjects, so the demo and topology tests
 * can inspect what was registered. Compatibility levels NONE, BACKWARD, FORWARD and FULL (and their
 * _TRANSITIVE forms) are enforced with Avro's own {@link SchemaCompatibility}.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {

  private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

  private final Map<Integer, Schema> byId = new HashMap<>();
  private final Map<String, List<Integer>> subjects = new HashMap<>();
  private final Map<String, String> levels = new HashMap<>();
  private String globalLevel = "BACKWARD";

  /** The registry of {@code scope}, created on first use. */
  public static InMemorySchemaRegistry scope(String scope) {
    return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistry());
  }

  /** Forgets a scope (tests that want a fresh registry). */
  public static void drop(String scope) {
    SCOPES.remove(scope);
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    List<Integer> ids = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
    for (int id : ids) {
      if (byId.get(id).equals(schema)) {
        return id;
      }
    }
    if (!isCompatible(subject, schema)) {
      throw new SchemaRegistryException(
          "mock registry: schema being registered is incompatible with subject '"
              + subject
              + "' under "
              + compatibility(subject),
          409);
    }
    int id = globalId(schema);
    ids.add(id);
    return id;
  }

  private int globalId(Schema schema) {
    for (Map.Entry<Integer, Schema> e : byId.entrySet()) {
      if (e.getValue().equals(schema)) {
        return e.getKey();
      }
    }
    int id = byId.size() + 1;
    byId.put(id, schema);
    return id;
  }

  @Override
  public synchronized int lookup(String subject, Schema schema) {
    for (int id : subjects.getOrDefault(subject, List.of())) {
      if (byId.get(id).equals(schema)) {
        return id;
      }
    }
    throw new SchemaRegistryException(
        "mock registry: schema not found under subject '" + subject + "'", 404);
  }

  @Override
  public synchronized Schema schemaById(int id) {
    Schema schema = byId.get(id);
    if (schema == null) {
      throw new SchemaRegistryException("mock registry: no schema with id " + id, 404);
    }
    return schema;
  }

  @Override
  public synchronized List<Integer> versions(String subject) {
    List<Integer> ids = subjects.get(subject);
    if (ids == null) {
      throw new SchemaRegistryException("mock registry: subject '" + subject + "' not found", 404);
    }
    List<Integer> versions = new ArrayList<>();
    for (int v = 1; v <= ids.size(); v++) {
      versions.add(v);
    }
    return versions;
  }

  @Override
  public synchronized RegisteredSchema latest(String subject) {
    List<Integer> ids = subjects.get(subject);
    if (ids == null || ids.isEmpty()) {
      throw new SchemaRegistryException("mock registry: subject '" + subject + "' not found", 404);
    }
    int id = ids.get(ids.size() - 1);
    return new RegisteredSchema(subject, ids.size(), id, byId.get(id));
  }

  @Override
  public synchronized boolean isCompatible(String subject, Schema schema) {
    List<Integer> ids = subjects.getOrDefault(subject, List.of());
    if (ids.isEmpty()) {
      return true;
    }
    String level = compatibility(subject);
    boolean transitive = level.endsWith("_TRANSITIVE");
    String kind = level.replace("_TRANSITIVE", "");
    List<Integer> against = transitive ? ids : List.of(ids.get(ids.size() - 1));
    for (int id : against) {
      Schema old = byId.get(id);
      boolean backward = readable(schema, old);
      boolean forward = readable(old, schema);
      boolean ok =
          switch (kind) {
            case "NONE" -> true;
            case "BACKWARD" -> backward;
            case "FORWARD" -> forward;
            case "FULL" -> backward && forward;
            default -> throw new SchemaRegistryException("unknown compatibility " + level, 422);
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean readable(Schema reader, Schema writer) {
    return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
        == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
  }

  @Override
  public synchronized String compatibility(String subject) {
    return subject == null ? globalLevel : levels.getOrDefault(subject, globalLevel);
  }

  @Override
  public synchronized void setCompatibility(String subject, String level) {
    if (subject == null) {
      globalLevel = level;
    } else {
      levels.put(subject, level);
    }
  }
}
