package io.armguard.serde;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API armguard needs. Implementations: {@link
 * RestSchemaRegistry} (any Confluent-compatible server) and {@link InMemorySchemaRegistry} (a
 * {@code mock://scope} URL). Thread-safe. Failures surface as {@link SchemaRegistryException}.
 */
public interface SchemaRegistry {

  /** Registers (or finds) {@code schema} under {@code subject}; returns its global id. */
  int register(String subject, Schema schema);

  /** The id of {@code schema} if it is registered under {@code subject}. */
  int lookup(String subject, Schema schema);

  /** The schema with global id {@code id}. */
  Schema schemaById(int id);

  /** The subject's version numbers, ascending. */
  List<Integer> versions(String subject);

  /** The subject's latest version. */
  RegisteredSchema latest(String subject);

  /** Whether {@code schema} may be registered under {@code subject} by its compatibility level. */
  boolean isCompatible(String subject, Schema schema);

  /** The compatibility level of {@code subject}, or the global one when {@code subject} is null. */
  String compatibility(String subject);

  /** Sets the compatibility level (NONE, BACKWARD, FORWARD, FULL, ...); subject null = global. */
  void setCompatibility(String subject, String level);

  /**
   * A schema as registered.
   *
   * @param subject subject name
   * @param version version within the subject
   * @param id global id
   * @param schema the Avro schema
   */
  record RegisteredSchema(String subject, int version, int id, Schema schema) {}
}
