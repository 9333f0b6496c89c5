package io.armguard.serde;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.avro.Schema;

/**
 * Caches the immutable answers of a registry (schema by id, id of a registered schema), so the
 * serdes call the server once per schema and not once per record. A definite "no schema with this
 * id" (HTTP 404) is remembered for {@link #NEGATIVE_TTL} too, so a stream of records with a bogus
 * id costs one HTTP call per id and window, not one per record; failures without a definite answer
 * (unreachable, 5xx) are never cached. Thread-safe.
 */
public final class CachingSchemaRegistry extends ForwardingSchemaRegistry {

  /** How long a 404 for a schema id is believed (an id may be registered later). */
  public static final Duration NEGATIVE_TTL = Duration.ofSeconds(30);

  private static final int MAX_MISSING = 4096;

  private final SchemaRegistry delegate;
  private final LongSupplier clockMs;
  private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
  private final Map<Integer, NotFound> missing = new ConcurrentHashMap<>();
  private final Map<String, Map<Schema, Integer>> ids = new ConcurrentHashMap<>();

  public CachingSchemaRegistry(SchemaRegistry delegate) {
    this(delegate, System::currentTimeMillis);
  }

  /** With the clock (epoch ms) the negative cache expires by; tests pass their own. */
  public CachingSchemaRegistry(SchemaRegistry delegate, LongSupplier clockMs) {
    super(delegate);
    this.delegate = delegate;
    this.clockMs = clockMs;
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
    Schema known = schemas.get(id);
    if (known != null) {
      return known;
    }
    long now = clockMs.getAsLong();
    NotFound miss = missing.get(id);
    if (miss != null && now < miss.untilMs()) {
      throw miss.error();
    }
    try {
      return schemas.computeIfAbsent(id, delegate::schemaById);
    } catch (SchemaRegistryException e) {
      if (e.isNotFound()) {
        if (missing.size() >= MAX_MISSING) { // bound the memory a flood of bogus ids can take
          missing.values().removeIf(m -> m.untilMs() <= now);
        }
        missing.put(id, new NotFound(e, now + NEGATIVE_TTL.toMillis()));
      }
      throw e;
    }
  }

  private record NotFound(SchemaRegistryException error, long untilMs) {}
}
