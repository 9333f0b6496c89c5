package io.armguard.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.Completion;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.Mode;
import io.armguard.streams.OutcomeRecords;
import java.time.Instant;
import java.util.Map;

/**
 * The JSON-lines format of {@code armguard moderate}: input lines {@code {"id", "prompt",
 * "response"}} become MODERATE requests; each answer becomes one line {@code {"id", "action",
 * "text", "flagged", "score", "categories", "category_scores", "kept_chars", "first_flagged_char"}}
 * (plus {@code "error"} when REJECTED), read off the Completion and AuditRecord the service would
 * write. Stateless.
 */
final class ModerationJsonLines {

  private static final Gson GSON =
      new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

  private ModerationJsonLines() {}

  /** An input line that is not a JSON object with string fields. */
  static final class BadLine extends Exception {
    final String id;

    BadLine(String id, String message) {
      super(message);
      this.id = id;
    }
  }

  /** The MODERATE request of input line {@code lineNo} (1-based). */
  static GenerationRequest request(String line, int lineNo, long now) throws BadLine {
    JsonObject o;
    try {
      JsonElement e = JsonParser.parseString(line);
      if (!e.isJsonObject()) {
        throw new BadLine(null, "line " + lineNo + ": not a JSON object");
      }
      o = e.getAsJsonObject();
    } catch (RuntimeException e) {
      String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      throw new BadLine(null, "line " + lineNo + ": not JSON (" + why + ")");
    }
    String id = text(o, "id", lineNo, null);
    return GenerationRequest.newBuilder()
        .setRequestId(id == null ? "" : id)
        .setMode(Mode.MODERATE)
        .setPrompt(orEmpty(text(o, "prompt", lineNo, id)))
        .setResponse(text(o, "response", lineNo, id))
        .setCreatedAt(Instant.ofEpochMilli(now))
        .setAttributes(Map.of("source", "armguard moderate", "line", Integer.toString(lineNo)))
        .build();
  }

  private static String text(JsonObject o, String key, int lineNo, String id) throws BadLine {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new BadLine(id, "line " + lineNo + ": \"" + key + "\" is not a string");
    }
    return e.getAsString();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  /** The output line of one answer. */
  static String answer(OutcomeRecords.Outcome o) {
    Completion c = o.completion();
    AuditRecord a = o.audit();
    JsonObject out = new JsonObject();
    out.addProperty("id", c.getRequestId());
    out.addProperty("action", c.getAction().name());
    out.addProperty("text", c.getText());
    out.addProperty("flagged", c.getFlagged());
    Float score = c.getCategoryScores().get(a.getSteeringLabel());
    out.add("score", score == null ? null : GSON.toJsonTree(score));
    out.add("categories", GSON.toJsonTree(c.getCategories()));
    out.add("category_scores", GSON.toJsonTree(c.getCategoryScores()));
    out.addProperty("kept_chars", a.getKeptChars());
    out.addProperty("first_flagged_char", a.getFirstFlaggedChar());
    if (c.getError() != null) {
      out.addProperty("error", c.getError());
    }
    return GSON.toJson(out);
  }

  /** The output line of an input line that could not be read. */
  static String unreadable(BadLine bad) {
    JsonObject out = new JsonObject();
    out.addProperty("id", bad.id);
    out.addProperty("action", "REJECTED");
    out.addProperty("error", bad.getMessage());
    return GSON.toJson(out);
  }
}
