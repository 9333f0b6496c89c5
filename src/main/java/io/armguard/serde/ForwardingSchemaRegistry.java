package io.armguard.serde;

import java.util.List;
import org.apache.avro.Schema;

/**
 * A registry that forwards every call to another; subclasses override what they add (caching,
 * counting in tests).
 */
public class ForwardingSchemaRegistry implements SchemaRegistry {
  private final SchemaRegistry delegate;

  public ForwardingSchemaRegistry(SchemaRegistry delegate) {
    this.delegate = delegate;
  }

  @Override
  public int register(String subject, Schema schema) {
    return delegate.register(subject, schema);
  }

  @Override
  public int lookup(String subject, Schema schema) {
    return delegate.lookup(subject, schema);
  }

  @Override
  public Schema schemaById(int id) {
    return delegate.schemaById(id);
  }

  @Override
  public List<Integer> versions(String subject) {
    return delegate.versions(subject);
  }

  @Override
  public RegisteredSchema latest(String subject) {
    return delegate.latest(subject);
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    return delegate.isCompatible(subject, schema);
  }

  @Override
  public String compatibility(String subject) {
    return delegate.compatibility(subject);
  }

  @Override
  public void setCompatibility(String subject, String level) {
    delegate.setCompatibility(subject, level);
  }
}
