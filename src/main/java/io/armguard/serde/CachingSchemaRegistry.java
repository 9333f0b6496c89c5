package io.armguard.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Caches the immutable answers of a registry (schema by id, id of a registered schema), so the
 * serdes call the server once per schema and not once per record.
 */
public final class CachingSchemaRegistry extends ForwardingSchemaRegistry {

  private final SchemaRegistry delegate;
  private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
  private final Map<String, Map<Schema, Integer>> ids = new ConcurrentHashMap<>();

  public CachingSchemaRegistry(SchemaRegistry delegate) {
    super(delegate);
    this.delegate = delegate;
  }

  @Override
  public int register(String subject, Schema schema) {
    return ids.computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
        .computeIfAbsent(schema, s -> remember(delegate.register(subject, s), s));
  }

  @Override
  public int lookup(String subject, Schema schema) {
    return ids.computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
        .computeIfAbsent(schema, s -> remember(delegate.lookup(subject, s), s));
  }

  private int remember(int id, Schema schema) {
    schemas.putIfAbsent(id, schema);
    return id;
  }

  @Override
  public Schema schemaById(int id) {
    return schemas.computeIfAbsent(id, delegate::schemaById);
  }
}
