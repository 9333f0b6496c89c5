package io.armguard.serde;

/**
 * Where a serializer gets the schema id it writes a record under (Confluent's {@code
 * auto.register.schemas} and {@code use.latest.version}).
 */
public enum SchemaIdSource {
  /** Register the record's schema under the subject (or find it registered): the default. */
  REGISTER,
  /** Look the record's schema up under the subject; it must be registered already. */
  LOOKUP,
  /**
   * Write under the subject's latest registered version (pre-registered schemas, as Confluent
   * recommends in production): the record is written in that version's schema, which must be able
   * to read records of the record's own schema (Avro schema resolution), else serializing fails.
   */
  LATEST_VERSION
}
