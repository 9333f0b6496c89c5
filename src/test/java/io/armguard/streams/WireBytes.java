package io.armguard.streams;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Byte and schema surgery for {@link BadInputCatalogue}: Confluent framing by hand, records with
 * one byte changed, writer schemas that differ from GenerationRequest's in one way. Stateless.
 */
final class WireBytes {

  private WireBytes() {}

  static byte[] framed(int id, Schema schema, Object datum) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      bytes.write(0); // the Confluent magic byte
      bytes.write(ByteBuffer.allocate(4).putInt(id).array());
      BinaryEncoder e = EncoderFactory.get().binaryEncoder(bytes, null);
      Schema s = schema == null ? Schema.create(Schema.Type.STRING) : schema;
      new GenericDatumWriter<>(s).write(datum, e);
      e.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static GenericData.EnumSymbol symbol(Schema writer, String field, String symbol) {
    Schema s = writer.getField(field).schema();
    if (s.getType() == Schema.Type.UNION) {
      s = s.getTypes().get(1);
    }
    return new GenericData.EnumSymbol(s, symbol);
  }

  /** {@code v} with field {@code name}'s type {@code from} (JSON) replaced by {@code to}. */
  static Schema retyped(Schema v, String name, String from, String to) {
    String json = v.toString();
    String field = "\"name\":\"" + name + "\",\"type\":[\"null\"," + from + "]";
    if (!json.contains(field)) {
      throw new IllegalStateException(field + " not in " + json);
    }
    return new Schema.Parser()
        .parse(json.replace(field, "\"name\":\"" + name + "\",\"type\":[\"null\"," + to + "]"));
  }

  static Schema without(Schema v, String name) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : v.getFields()) {
      if (!f.name().equals(name)) {
        fields.add(new Schema.Field(f, f.schema()));
      }
    }
    return Schema.createRecord(v.getName(), v.getDoc(), v.getNamespace(), false, fields);
  }

  static Schema withField(Schema v, String name) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : v.getFields()) {
      fields.add(new Schema.Field(f, f.schema()));
    }
    fields.add(new Schema.Field(name, Schema.create(Schema.Type.INT), "a newer writer's", 0));
    return Schema.createRecord(v.getName(), v.getDoc(), v.getNamespace(), false, fields);
  }

  /** A newer writer: mode knows TRANSLATE, strategy knows BEAM. */
  static Schema newerEnums(Schema v) {
    String json =
        v.toString()
            .replace(
                "\"GENERATE\",\"MODERATE\",\"UNKNOWN\"",
                "\"GENERATE\",\"MODERATE\",\"UNKNOWN\",\"TRANSLATE\"")
            .replace("\"UNGUIDED\",\"UNKNOWN\"", "\"UNGUIDED\",\"UNKNOWN\",\"BEAM\"");
    return new Schema.Parser().parse(json);
  }

  static byte[] withId(byte[] framed, int id) {
    byte[] out = framed.clone();
    ByteBuffer.wrap(out).putInt(1, id);
    return out;
  }

  static byte[] withByte(byte[] data, int at, int value) {
    byte[] out = data.clone();
    out[at] = (byte) value;
    return out;
  }

  /** {@code data} with the first occurrence of ASCII {@code find} replaced by as many bytes. */
  static byte[] replace(byte[] data, String find, int... with) {
    byte[] f = ascii(find);
    if (f.length != with.length) {
      throw new IllegalArgumentException("replacement must keep the length");
    }
    for (int i = 0; i + f.length <= data.length; i++) {
      if (Arrays.equals(data, i, i + f.length, f, 0, f.length)) {
        byte[] out = data.clone();
        for (int j = 0; j < with.length; j++) {
          out[i + j] = (byte) with[j];
        }
        return out;
      }
    }
    throw new IllegalArgumentException(find + " not in the record");
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static byte[] filled(int n, int value) {
    byte[] out = new byte[n];
    Arrays.fill(out, (byte) value);
    return out;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] varint(int n) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      BinaryEncoder e = EncoderFactory.get().binaryEncoder(bytes, null);
      e.writeInt(n);
      e.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
