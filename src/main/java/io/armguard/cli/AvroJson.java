package io.armguard.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * An Avro record as plain JSON, for scripts: fields under their schema names, unions as their value
 * (no Avro JSON type wrappers), enums as their symbol, {@code timestamp-millis} as an ISO-8601
 * instant, bytes as base64, and a non-finite float as null (JSON has no NaN). Stateless.
 */
final class AvroJson {

  private AvroJson() {}

  /** {@code record}'s fields as a JSON object. */
  static JsonObject of(IndexedRecord record) {
    JsonObject o = new JsonObject();
    for (Schema.Field f : record.getSchema().getFields()) {
      o.add(f.name(), value(record.get(f.pos())));
    }
    return o;
  }

  private static JsonElement value(Object v) {
    if (v == null) {
      return JsonNull.INSTANCE;
    }
    if (v instanceof IndexedRecord r) {
      return of(r);
    }
    if (v instanceof CharSequence || v instanceof Enum<?> || v instanceof GenericEnumSymbol<?>) {
      return new JsonPrimitive(v.toString());
    }
    if (v instanceof Boolean b) {
      return new JsonPrimitive(b);
    }
    if (v instanceof Float || v instanceof Double) {
      double d = ((Number) v).doubleValue();
      return Double.isFinite(d) ? new JsonPrimitive((Number) v) : JsonNull.INSTANCE;
    }
    if (v instanceof Number n) {
      return new JsonPrimitive(n);
    }
    if (v instanceof Instant t) {
      return new JsonPrimitive(t.toString());
    }
    if (v instanceof Map<?, ?> m) {
      JsonObject o = new JsonObject();
      m.forEach((k, x) -> o.add(k.toString(), value(x)));
      return o;
    }
    if (v instanceof Collection<?> c) {
      JsonArray a = new JsonArray();
      c.forEach(x -> a.add(value(x)));
      return a;
    }
    if (v instanceof ByteBuffer b) {
      ByteBuffer copy = b.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return new JsonPrimitive(Base64.getEncoder().encodeToString(bytes));
    }
    if (v instanceof GenericFixed f) {
      return new JsonPrimitive(Base64.getEncoder().encodeToString(f.bytes()));
    }
    return new JsonPrimitive(v.toString());
  }
}
