package io.armguard.cli;

import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.Base64;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A consumed record as {@code tail --json} prints it: {@code topic}, {@code partition}, {@code
 * offset}, {@code timestamp} (ISO-8601), {@code key}, and the {@code value}, decoded ({@link
 * AvroJson}) or, for a dead letter, as the original bytes plus its {@code headers}. Bytes that are
 * not UTF-8 appear as null with a {@code <name>_base64} twin. Stateless.
 */
final class RecordJson {

  private RecordJson() {}

  private static JsonObject position(ConsumerRecord<byte[], byte[]> r) {
    JsonObject o = new JsonObject();
    o.addProperty("topic", r.topic());
    o.addProperty("partition", r.partition());
    o.addProperty("offset", r.offset());
    o.addProperty("timestamp", Instant.ofEpochMilli(r.timestamp()).toString());
    return o;
  }

  static JsonObject avro(ConsumerRecord<byte[], byte[]> r, SpecificRecord value) {
    JsonObject o = position(r);
    bytes(o, "key", r.key());
    o.add("value", AvroJson.of(value));
    return o;
  }

  static JsonObject deadLetter(ConsumerRecord<byte[], byte[]> r) {
    JsonObject o = position(r);
    bytes(o, "key", r.key());
    bytes(o, "value", r.value());
    JsonObject headers = new JsonObject();
    for (Header h : r.headers()) {
      bytes(headers, h.key(), h.value());
    }
    o.add("headers", headers);
    return o;
  }

  /** {@code name}: the bytes as text; when they are not UTF-8, null and {@code name_base64}. */
  private static void bytes(JsonObject o, String name, byte[] value) {
    String text = value == null ? null : Utf8Text.decode(value);
    o.addProperty(name, text);
    if (value != null && text == null) {
      o.addProperty(name + "_base64", Base64.getEncoder().encodeToString(value));
    }
  }
}
