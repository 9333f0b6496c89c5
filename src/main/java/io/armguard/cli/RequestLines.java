package io.armguard.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.Mode;
import io.armguard.schema.Strategy;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The JSON-lines input of {@code armguard produce}: one request per line, with the field names of
 * {@code GenerationRequest} ({@code request_id} or its short form {@code id}, {@code mode}, {@code
 * prompt}, {@code response}, {@code conversation_id}, {@code strategy}, {@code max_new_tokens},
 * {@code top_k}, {@code beta}, {@code temperature}, {@code seed}, {@code toxicity_threshold},
 * {@code attributes}). {@code mode} defaults to MODERATE when a {@code response} is given and to
 * GENERATE otherwise; a missing id is generated.
 *
 * <p>Only the shape is checked here (JSON object, known fields, types, enum symbols, a response
 * exactly for MODERATE): the value ranges are the service's to judge, which answers an out-of-range
 * request REJECTED with its reason. Stateless.
 */
final class RequestLines {

  /** Attribute naming the producer, unless the line sets its own {@code source}. */
  static final String SOURCE = "armguard produce";

  private static final Set<String> FIELDS =
      Set.of(
          "id",
          "request_id",
          "mode",
          "prompt",
          "response",
          "conversation_id",
          "strategy",
          "max_new_tokens",
          "top_k",
          "beta",
          "temperature",
          "seed",
          "toxicity_threshold",
          "attributes");

  private RequestLines() {}

  /** A line that is not a request; the message starts with {@code where:line:}. */
  static final class BadLine extends Exception {
    BadLine(String where, int lineNo, String message) {
      super(where + ":" + lineNo + ": " + message);
    }
  }

  /** What a line of {@code where} (a file name, or "stdin") needs besides its text. */
  record Context(String where, Supplier<String> newId, long nowMillis) {}

  /** A request with the fields every produced request carries: id, created_at, source. */
  static GenerationRequest.Builder base(String id, long nowMillis) {
    return GenerationRequest.newBuilder()
        .setRequestId(id)
        .setCreatedAt(Instant.ofEpochMilli(nowMillis))
        .setAttributes(Map.of("source", SOURCE));
  }

  /** The request on line {@code lineNo} (1-based). */
  static GenerationRequest parse(String line, int lineNo, Context ctx) throws BadLine {
    Fields f = new Fields(object(line, lineNo, ctx), lineNo, ctx);
    for (String key : f.o.keySet()) {
      if (!FIELDS.contains(key)) {
        throw f.bad("unknown field \"" + key + "\" (known: " + String.join(", ", sorted()) + ")");
      }
    }
    String id = f.text("request_id");
    String shortId = f.text("id");
    if (id != null && shortId != null && !id.equals(shortId)) {
      throw f.bad("\"id\" and \"request_id\" differ; give one");
    }
    id = id != null ? id : shortId;
    String prompt = f.text("prompt");
    if (prompt == null) {
      throw f.bad("\"prompt\" is missing");
    }
    String response = f.text("response");
    Mode mode = f.symbol("mode", Mode.class, response == null ? Mode.GENERATE : Mode.MODERATE);
    if (mode == Mode.MODERATE && response == null) {
      throw f.bad("mode MODERATE needs a \"response\" (the reply to check)");
    }
    if (mode == Mode.GENERATE && response != null) {
      throw f.bad("mode GENERATE takes no \"response\" (use MODERATE to check a reply)");
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("source", SOURCE);
    attributes.putAll(f.attributes());
    return base(id == null || id.isEmpty() ? ctx.newId().get() : id, ctx.nowMillis())
        .setMode(mode)
        .setPrompt(prompt)
        .setResponse(response)
        .setConversationId(f.text("conversation_id"))
        .setStrategy(f.symbol("strategy", Strategy.class, null))
        .setMaxNewTokens(f.integer("max_new_tokens"))
        .setTopK(f.integer("top_k"))
        .setBeta(f.decimal("beta"))
        .setTemperature(f.decimal("temperature"))
        .setSeed(f.longInteger("seed"))
        .setToxicityThreshold(f.decimal("toxicity_threshold"))
        .setAttributes(attributes)
        .build();
  }

  private static List<String> sorted() {
    return FIELDS.stream().sorted().toList();
  }

  private static JsonObject object(String line, int lineNo, Context ctx) throws BadLine {
    JsonElement e;
    try {
      e = JsonParser.parseString(line);
    } catch (RuntimeException ex) {
      String why = String.valueOf(ex.getMessage()).lines().findFirst().orElse("");
      throw new BadLine(ctx.where(), lineNo, "not JSON (" + why + ")");
    }
    if (!e.isJsonObject()) {
      throw new BadLine(ctx.where(), lineNo, "not a JSON object");
    }
    return e.getAsJsonObject();
  }

  /** Typed access to one line's fields; JSON null reads as absent. */
  private record Fields(JsonObject o, int lineNo, Context ctx) {

    BadLine bad(String message) {
      return new BadLine(ctx.where(), lineNo, message);
    }

    /** The field's primitive value, null when absent or JSON null; a non-primitive is bad. */
    private JsonPrimitive primitive(String key, String expected) throws BadLine {
      JsonElement e = o.get(key);
      if (e == null || e.isJsonNull()) {
        return null;
      }
      if (!e.isJsonPrimitive()) {
        throw bad("\"" + key + "\" must be " + expected);
      }
      return e.getAsJsonPrimitive();
    }

    String text(String key) throws BadLine {
      JsonPrimitive p = primitive(key, "a string");
      if (p != null && !p.isString()) {
        throw bad("\"" + key + "\" must be a string");
      }
      return p == null ? null : p.getAsString();
    }

    private Number number(String key, boolean integral) throws BadLine {
      JsonPrimitive p = primitive(key, "a number");
      if (p == null) {
        return null;
      }
      if (!p.isNumber()) {
        throw bad("\"" + key + "\" must be a number");
      }
      if (integral) {
        try {
          return p.getAsBigDecimal().longValueExact();
        } catch (ArithmeticException e) {
          throw bad("\"" + key + "\" must be a whole number (64-bit), not " + p.getAsString());
        }
      }
      return p.getAsDouble();
    }

    Integer integer(String key) throws BadLine {
      Number n = number(key, true);
      if (n == null) {
        return null;
      }
      if (n.longValue() != n.intValue()) {
        throw bad("\"" + key + "\" is out of range: " + n);
      }
      return n.intValue();
    }

    Long longInteger(String key) throws BadLine {
      Number n = number(key, true);
      return n == null ? null : n.longValue();
    }

    Float decimal(String key) throws BadLine {
      Number n = number(key, false);
      return n == null ? null : n.floatValue();
    }

    <E extends Enum<E>> E symbol(String key, Class<E> type, E absent) throws BadLine {
      String s = text(key);
      if (s == null) {
        return absent;
      }
      for (E e : type.getEnumConstants()) {
        // UNKNOWN is the readers' stand-in for newer symbols, never something to write
        if (!e.name().equals("UNKNOWN") && e.name().equals(s.toUpperCase(Locale.ROOT))) {
          return e;
        }
      }
      List<String> allowed =
          java.util.Arrays.stream(type.getEnumConstants())
              .map(Enum::name)
              .filter(n -> !n.equals("UNKNOWN"))
              .toList();
      throw bad("\"" + key + "\" must be one of " + allowed + ", not \"" + s + "\"");
    }

    Map<String, String> attributes() throws BadLine {
      JsonElement e = o.get("attributes");
      if (e == null || e.isJsonNull()) {
        return Map.of();
      }
      if (!e.isJsonObject()) {
        throw bad("\"attributes\" must be an object of strings");
      }
      Map<String, String> out = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> a : e.getAsJsonObject().entrySet()) {
        JsonElement v = a.getValue();
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
          throw bad("attribute \"" + a.getKey() + "\" must be a string");
        }
        out.put(a.getKey(), v.getAsString());
      }
      return out;
    }
  }
}
