package io.armguard.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A subject's latest registered version as a serializer with {@code use.latest.version=true} writes
 * under it: when it is the record's own schema the body is written as it is; otherwise the body,
 * written in the record's schema, is resolved into the latest version's (Avro schema resolution:
 * fields it lacks are dropped, fields it adds take their defaults) and written again in that one,
 * so the bytes always match the id they are sent with. A latest version that cannot read the
 * record's schema is refused when first fetched (Confluent's {@code
 * latest.compatibility.strict=true}). Immutable and thread-safe.
 */
final class LatestVersion {

  private final int id;
  private final Schema own;
  private final Schema latest;
  private final boolean same;

  private LatestVersion(int id, Schema own, Schema latest) {
    this.id = id;
    this.own = own;
    this.latest = latest;
    this.same = latest.equals(own);
  }

  /**
   * The version to write records of schema {@code own} under.
   *
   * @throws SerializationException if the latest version cannot read {@code own}'s records
   */
  static LatestVersion of(SchemaRegistry.RegisteredSchema registered, Schema own) {
    SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(registered.schema(), own);
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      throw new SerializationException(
          "the latest version ("
              + registered.version()
              + ", id "
              + registered.id()
              + ") of subject '"
              + registered.subject()
              + "' cannot read "
              + own.getFullName()
              + " as this build writes it ("
              + compatibility.getDescription()
              + "); register this build's schemas (armguard schemas register) or set"
              + " use.latest.version=false");
    }
    return new LatestVersion(registered.id(), own, registered.schema());
  }

  int id() {
    return id;
  }

  /** Whether records must be rewritten: false when the latest version is the record's schema. */
  boolean rewrites() {
    return !same;
  }

  /** {@code body} (Avro binary in the record's own schema) in the latest version's schema. */
  byte[] rewrite(byte[] body) throws IOException {
    if (same) {
      return body;
    }
    Object resolved =
        new GenericDatumReader<Object>(own, latest)
            .read(null, DecoderFactory.get().binaryDecoder(body, null));
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 16);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    new GenericDatumWriter<Object>(latest).write(resolved, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
