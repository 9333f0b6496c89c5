package io.armguard.streams;

import static io.armguard.streams.WireBytes.ascii;
import static io.armguard.streams.WireBytes.concat;
import static io.armguard.streams.WireBytes.filled;
import static io.armguard.streams.WireBytes.framed;
import static io.armguard.streams.WireBytes.newerEnums;
import static io.armguard.streams.WireBytes.replace;
import static io.armguard.streams.WireBytes.retyped;
import static io.armguard.streams.WireBytes.symbol;
import static io.armguard.streams.WireBytes.varint;
import static io.armguard.streams.WireBytes.withByte;
import static io.armguard.streams.WireBytes.withField;
import static io.armguard.streams.WireBytes.withId;
import static io.armguard.streams.WireBytes.without;

import io.armguard.schema.Completion;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.Mode;
import io.armguard.schema.Strategy;
import io.armguard.serde.InMemorySchemaRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The classes of bad input the request path tells apart, each with the outcome it must get: what
 * {@link io.armguard.serde.ConfluentAvroDeserializer} refuses (dead letter, with the message it
 * gives), what {@link RequestValidator} rejects (REJECTED, with its error), what {@link
 * ValidateProcessor} ignores (tombstones), what {@link DuplicateRequestFilter} drops, and odd input
 * that is served as usual. docs/streams.md "Bad input" lists the same table.
 */
final class BadInputCatalogue {

  /** Where a bad record must end up. */
  enum Outcome {
    /** armguard.dlq, reason header: SerializationException with {@code reason} in its message. */
    DEAD_LETTER,
    /** A REJECTED completion and a stage=validate audit whose error contains {@code reason}. */
    REJECTED,
    /** No answer, no dead letter; counted in {@code armguard.tombstones}. */
    TOMBSTONE,
    /** The re-sent copy of the neighbour before it: no second answer; counted. */
    DUPLICATE,
    /** Not bad after all: answered like any request (outputs keyed by request_id). */
    ANSWERED
  }

  /**
   * One class of bad input.
   *
   * @param name what it is (the test's display name)
   * @param outcome where it must go
   * @param reason text the dead letter's message or the REJECTED error must contain (null: none)
   * @param key the record's key bytes (null: a null key)
   * @param value the record's value bytes (null: a tombstone)
   */
  record Case(String name, Outcome outcome, String reason, byte[] key, byte[] value) {
    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * Request ids: of the bad record where it has one, and of its neighbours.
   *
   * @param before the valid request sent just before (and what a duplicate repeats)
   * @param bad the bad record's (ASCII, under 60 chars: the byte-level cases count on it)
   * @param after the valid request sent just after
   */
  record Ids(String before, String bad, String after) {
    static final Ids PLAIN = of("");

    static Ids of(String prefix) {
      return new Ids(prefix + "before", prefix + "bad", prefix + "after");
    }
  }

  private final String topic;
  private final InMemorySchemaRegistry registry;
  private final Serializer<GenerationRequest> serializer;
  private final String bad;
  private final String before;
  private final List<Case> cases = new ArrayList<>();

  private BadInputCatalogue(
      String topic,
      InMemorySchemaRegistry registry,
      Serializer<GenerationRequest> serializer,
      Ids ids) {
    this.topic = topic;
    this.registry = registry;
    this.serializer = serializer;
    this.bad = ids.bad();
    this.before = ids.before();
  }

  /** A valid request, the neighbours' shape and the base every bad request varies. */
  static GenerationRequest valid(String id) {
    return TestRequests.generate(id, "hello there friend");
  }

  /**
   * Every class, encoded for {@code topic} over the in-memory registry {@code scope}. The engine
   * under test must be a {@link io.armguard.moderate.WordListEngine} without a RAD model, context
   * 64 tokens, and the config's limits the defaults (max_new_tokens 64, top_k 100).
   */
  static List<Case> all(
      String topic, String scope, Serializer<GenerationRequest> serializer, Ids ids) {
    BadInputCatalogue c =
        new BadInputCatalogue(topic, InMemorySchemaRegistry.scope(scope), serializer, ids);
    c.framing();
    c.schemas();
    c.bodies();
    c.parameters();
    c.records();
    return List.copyOf(c.cases);
  }

  private void framing() {
    dead("empty value", new byte[0], "0 bytes");
    dead("4 bytes, shorter than the header", new byte[] {0, 0, 0, 1}, "4 bytes");
    dead("text, not Avro", ascii("this is not avro"), "magic byte 116");
    dead("wrong magic byte before a valid body", withByte(good(), 0, 1), "magic byte 1");
    dead("0xFF magic byte (random bytes)", withByte(good(), 0, 0xFF), "magic byte -1");
    dead("unknown schema id", withId(good(), 424_242), "unknown writer schema id 424242");
    dead("negative schema id", withId(good(), -1), "unknown writer schema id -1");
  }

  private void schemas() {
    Schema v = GenerationRequest.getClassSchema();
    Schema invoice =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"Invoice\",\"namespace\":\"com.example\","
                    + "\"fields\":[{\"name\":\"amount\",\"type\":\"long\"}]}");
    GenericRecord bill = new GenericData.Record(invoice);
    bill.put("amount", 42L);
    dead(
        "unrelated schema: another application's record",
        framed(register("catalogue-invoice", invoice), invoice, bill),
        "corrupt GenerationRequest body");
    dead(
        "unrelated schema: a Completion (armguard's own output)",
        framed(
            register("catalogue-completion", Completion.getClassSchema()),
            Completion.getClassSchema(),
            completion()),
        "corrupt GenerationRequest body");
    dead(
        "unrelated schema: a bare string",
        framed(register("catalogue-string", Schema.create(Schema.Type.STRING)), null, "hello"),
        "corrupt GenerationRequest body");
    Schema topKString = retyped(v, "top_k", "\"int\"", "\"string\"");
    dead(
        "wrong type in an optional field: top_k a string",
        writer("catalogue-topk-string", topKString, r -> r.put("top_k", "5")),
        "corrupt GenerationRequest body");
    Schema maxLong = retyped(v, "max_new_tokens", "\"int\"", "\"long\"");
    dead(
        "wrong type in an optional field: max_new_tokens a long",
        writer("catalogue-max-long", maxLong, r -> r.put("max_new_tokens", 4L)),
        "corrupt GenerationRequest body");
    Schema noPrompt = without(v, "prompt");
    dead(
        "writer without a required field (prompt)",
        writer("catalogue-no-prompt", noPrompt, r -> {}),
        "corrupt GenerationRequest body");
    Schema betaInt = retyped(v, "beta", "\"float\"", "\"int\"");
    answered(
        "promotable type in an optional field: beta an int",
        writer("catalogue-beta-int", betaInt, r -> r.put("beta", 3)));
    Schema added = withField(v, "priority");
    answered(
        "newer writer with an added field",
        writer("catalogue-added", added, r -> r.put("priority", 7)));
    Schema newer = newerEnums(v);
    rejected(
        "newer writer's mode symbol (TRANSLATE)",
        writer("catalogue-enums", newer, r -> r.put("mode", symbol(newer, "mode", "TRANSLATE"))),
        "mode is a symbol this armguard does not know (a newer writer's; read as UNKNOWN)");
    rejected(
        "newer writer's strategy symbol (BEAM)",
        writer("catalogue-enums", newer, r -> r.put("strategy", symbol(newer, "strategy", "BEAM"))),
        "strategy is a symbol this armguard does not know (a newer writer's; read as UNKNOWN)");
    rejected(
        "mode UNKNOWN written as such",
        good(r -> r.setMode(Mode.UNKNOWN)),
        "mode is a symbol this armguard does not know");
  }

  private void bodies() {
    byte[] good = good();
    dead("header only, no body", Arrays.copyOf(good, 5), "corrupt GenerationRequest body");
    dead(
        "truncated body (half)",
        Arrays.copyOf(good, 5 + (good.length - 5) / 2),
        "corrupt GenerationRequest body");
    dead(
        "truncated body (last byte)",
        Arrays.copyOf(good, good.length - 1),
        "corrupt GenerationRequest body");
    dead("trailing zero byte after a valid body", concat(good, new byte[1]), "1 bytes left after");
    dead(
        "two valid bodies in one record",
        concat(good, Arrays.copyOfRange(good, 5, good.length)),
        (good.length - 5) + " bytes left after");
    // request_id is the first field: its length varint is byte 5, its text follows.
    int afterId = 5 + 1 + bad.length();
    dead("negative string length", withByte(good, 5, 0x01), "a string of -1 bytes");
    dead("string length beyond the record", withByte(good, 5, 0x7E), "a string of 63 bytes where");
    dead(
        "a 14-byte record claiming a 1 GB string",
        concat(Arrays.copyOf(good, 5), varint(1_000_000_000)),
        "a string of 1000000000 bytes where 0 bytes are left");
    dead(
        "malformed varint (10 continuation bytes)",
        concat(Arrays.copyOf(good, 5), filled(10, 0xFF)),
        "corrupt GenerationRequest body");
    // conversation_id's union branch index follows request_id; mode's enum index follows that.
    dead(
        "union branch index out of range",
        withByte(good, afterId, 10),
        "corrupt GenerationRequest body");
    dead(
        "enum index out of range",
        withByte(good, afterId + 1, 120),
        "corrupt GenerationRequest body");
    String notUtf8 = "is not valid UTF-8";
    byte[] zPrompt = good(r -> r.setPrompt("hello ZZZ"));
    dead("invalid UTF-8 in prompt", replace(zPrompt, "ZZ", 0xC3, 0x28), notUtf8);
    dead("overlong UTF-8 in prompt", replace(zPrompt, "ZZ", 0xC0, 0xAF), notUtf8);
    dead("UTF-8-encoded surrogate in prompt", replace(zPrompt, "ZZZ", 0xED, 0xA0, 0x80), notUtf8);
    dead(
        "invalid UTF-8 in request_id",
        replace(good(r -> r.setRequestId("idZZ")), "ZZ", 0xFF, 0xFE),
        notUtf8);
    dead(
        "invalid UTF-8 in response",
        replace(
            good(
                r -> {
                  r.setMode(Mode.MODERATE);
                  r.setResponse("reply ZZ");
                }),
            "ZZ",
            0xC3,
            0x28),
        notUtf8);
    dead(
        "invalid UTF-8 in conversation_id",
        replace(good(r -> r.setConversationId("convZZ")), "ZZ", 0xC3, 0x28),
        notUtf8);
    dead(
        "invalid UTF-8 in an attribute key",
        replace(good(r -> r.setAttributes(Map.of("keyZZ", "v"))), "ZZ", 0xC3, 0x28),
        notUtf8);
    dead(
        "invalid UTF-8 in an attribute value",
        replace(good(r -> r.setAttributes(Map.of("k", "valueZZ"))), "ZZ", 0xC3, 0x28),
        notUtf8);
  }

  private void parameters() {
    rejected("empty request_id", good(r -> r.setRequestId("")), "request_id is empty");
    rejected("blank request_id", good(r -> r.setRequestId("  ")), "request_id is empty");
    rejected("empty prompt", good(r -> r.setPrompt("")), "prompt is empty");
    rejected("blank prompt", good(r -> r.setPrompt(" \t\n ")), "prompt is empty");
    rejected(
        "MODERATE without a response",
        good(r -> r.setMode(Mode.MODERATE)),
        "MODERATE request without a response");
    rejected(
        "MODERATE with a blank response",
        good(
            r -> {
              r.setMode(Mode.MODERATE);
              r.setResponse("   ");
            }),
        "MODERATE request without a response");
    rejected(
        "strategy RAD without a RAD model",
        good(r -> r.setStrategy(Strategy.RAD)),
        "strategy RAD has no reward model loaded");
    rejected(
        "max_new_tokens 0", good(r -> r.setMaxNewTokens(0)), "max_new_tokens 0 outside [1, 64]");
    rejected(
        "max_new_tokens negative",
        good(r -> r.setMaxNewTokens(-1)),
        "max_new_tokens -1 outside [1, 64]");
    rejected(
        "max_new_tokens over the limit",
        good(r -> r.setMaxNewTokens(65)),
        "max_new_tokens 65 outside [1, 64]");
    rejected(
        "max_new_tokens Integer.MAX_VALUE",
        good(r -> r.setMaxNewTokens(Integer.MAX_VALUE)),
        "max_new_tokens 2147483647 outside");
    rejected("top_k 0", good(r -> r.setTopK(0)), "top_k 0 outside [1, 100]");
    rejected("top_k negative", good(r -> r.setTopK(-5)), "top_k -5 outside [1, 100]");
    rejected("top_k over the limit", good(r -> r.setTopK(101)), "top_k 101 outside [1, 100]");
    rejected("beta NaN", good(r -> r.setBeta(Float.NaN)), "beta NaN outside [0, 1000.0]");
    rejected("beta negative", good(r -> r.setBeta(-0.5f)), "beta -0.5 outside [0, 1000.0]");
    rejected(
        "beta +Infinity", good(r -> r.setBeta(Float.POSITIVE_INFINITY)), "beta Infinity outside");
    rejected("beta 1e30", good(r -> r.setBeta(1e30f)), "beta 1.0E30 outside [0, 1000.0]");
    rejected(
        "temperature NaN",
        good(r -> r.setTemperature(Float.NaN)),
        "temperature NaN outside [0, 100.0]");
    rejected(
        "temperature negative",
        good(r -> r.setTemperature(-1f)),
        "temperature -1.0 outside [0, 100.0]");
    rejected(
        "temperature -Infinity",
        good(r -> r.setTemperature(Float.NEGATIVE_INFINITY)),
        "temperature -Infinity outside");
    rejected("temperature 1e30", good(r -> r.setTemperature(1e30f)), "temperature 1.0E30 outside");
    rejected(
        "toxicity_threshold negative",
        good(r -> r.setToxicityThreshold(-0.1f)),
        "toxicity_threshold -0.1 outside [0, 1]");
    rejected(
        "toxicity_threshold over 1",
        good(r -> r.setToxicityThreshold(1.5f)),
        "toxicity_threshold 1.5 outside [0, 1]");
    rejected(
        "toxicity_threshold NaN",
        good(r -> r.setToxicityThreshold(Float.NaN)),
        "toxicity_threshold NaN outside [0, 1]");
    rejected(
        "prompt longer than the context",
        good(r -> r.setPrompt("word ".repeat(70))),
        "prompt has 70 tokens; with max_new_tokens 4 it exceeds the model's context of 64");
    rejected(
        "prompt that fits, but not with max_new_tokens",
        good(
            r -> {
              r.setPrompt("word ".repeat(40));
              r.setMaxNewTokens(30);
            }),
        "prompt has 40 tokens; with max_new_tokens 30 it exceeds the model's context of 64");
    rejected(
        "prompt + response longer than the context",
        good(
            r -> {
              r.setMode(Mode.MODERATE);
              r.setPrompt("q ".repeat(30));
              r.setResponse("a ".repeat(31));
            }),
        "prompt + response has 61 tokens; with max_new_tokens 4 it exceeds");
    rejected(
        "huge value: a 1 MB prompt",
        good(r -> r.setPrompt("word ".repeat(200_000))),
        "prompt has 200000 tokens");
  }

  private void records() {
    cases.add(new Case("tombstone (null value)", Outcome.TOMBSTONE, null, ascii(bad), null));
    cases.add(
        new Case(
            "the same request id twice", Outcome.DUPLICATE, null, ascii(before), frame(before)));
    answered(
        "valid non-ASCII UTF-8 everywhere (control for the strict decoding)",
        good(
            r -> {
              r.setPrompt("héllo wörld 你好 \uD83D\uDE00 e\u0301");
              r.setConversationId("ü-\uD83D\uDE00");
              r.setAttributes(Map.of("schlüssel", "wert ✓"));
            }));
    answered("null key", null, good());
    answered("huge key (100 KB)", ascii("k".repeat(100_000)), good());
    answered("key other than request_id", ascii("some-other-key"), good());
    answered("seed Long.MIN_VALUE (seeds are unbounded)", good(r -> r.setSeed(Long.MIN_VALUE)));
    answered(
        "GENERATE with a response (ignored)", good(r -> r.setResponse("a reply nobody asked for")));
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      many.put("attribute-" + i, "value-" + i);
    }
    answered("huge value: 10,000 attributes", good(r -> r.setAttributes(many)));
  }

  // ---- cases

  private void dead(String name, byte[] value, String reason) {
    cases.add(new Case(name, Outcome.DEAD_LETTER, reason, ascii(bad), value));
  }

  private void rejected(String name, byte[] value, String reason) {
    cases.add(new Case(name, Outcome.REJECTED, reason, ascii(bad), value));
  }

  private void answered(String name, byte[] value) {
    answered(name, ascii(bad), value);
  }

  private void answered(String name, byte[] key, byte[] value) {
    cases.add(new Case(name, Outcome.ANSWERED, null, key, value));
  }

  // ---- encodings

  private byte[] good() {
    return frame(bad);
  }

  private byte[] frame(String id) {
    return serializer.serialize(topic, valid(id));
  }

  /** The bad request: {@link #valid} with one change. */
  private byte[] good(Consumer<GenerationRequest> change) {
    GenerationRequest r = valid(bad);
    change.accept(r);
    return serializer.serialize(topic, r);
  }

  private int register(String subject, Schema schema) {
    return registry.register(subject, schema);
  }

  /**
   * A GenerationRequest-like record written by {@code writer}, registered under {@code subject}.
   */
  private byte[] writer(String subject, Schema writer, Consumer<GenericRecord> change) {
    GenericRecord r = new GenericData.Record(writer);
    for (Schema.Field f : writer.getFields()) {
      if (f.hasDefaultValue()) {
        r.put(f.name(), GenericData.get().getDefaultValue(f));
      }
    }
    r.put("request_id", bad);
    r.put("mode", symbol(writer, "mode", "GENERATE"));
    if (writer.getField("prompt") != null) {
      r.put("prompt", "hello there friend");
    }
    r.put("max_new_tokens", 4);
    r.put("created_at", 1_000L);
    change.accept(r);
    return framed(register(subject, writer), writer, r);
  }

  /** A Completion with every field filled by its default or a plain value. */
  private GenericRecord completion() {
    Schema s = Completion.getClassSchema();
    GenericRecord r = new GenericData.Record(s);
    for (Schema.Field f : s.getFields()) {
      r.put(f.name(), f.hasDefaultValue() ? GenericData.get().getDefaultValue(f) : null);
    }
    r.put("request_id", bad);
    r.put("mode", new GenericData.EnumSymbol(s.getField("mode").schema(), "GENERATE"));
    r.put("action", new GenericData.EnumSymbol(s.getField("action").schema(), "GENERATED"));
    r.put("text", "a completion, not a request");
    r.put("completed_at", 1_000L);
    return r;
  }
}
