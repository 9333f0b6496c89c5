package io.armguard.streams;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.Completion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The OpenAI moderation request and response shapes of {@code POST /v1/moderations}. Request:
 * {@code {"input": "text"}} or {@code {"input": ["a", "b"]}} or a list of {@code {"type": "text",
 * "text": "..."}} parts ({@code model} is accepted and ignored: armguard scores with its reward
 * model). Response: {@code {"id", "model", "results": [{"flagged", "categories", "category_scores",
 * "armguard": {...}}]}}, one result per input in input order; armguard's extras (steering label and
 * score, thresholds, first flagged character) under their own key. Errors: {@code {"error":
 * {"message", "type", "param", "code"}}}. Stateless.
 */
final class ModerationApiJson {

  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private ModerationApiJson() {}

  /** A request that is not in the documented shape; its message is safe to return. */
  static final class BadRequest extends Exception {
    final String param;

    BadRequest(String param, String message) {
      super(message);
      this.param = param;
    }
  }

  /** The texts of a request body, in order. */
  static List<String> inputs(String body, int maxInputs) throws BadRequest {
    JsonElement root;
    try {
      root = JsonParser.parseString(body);
    } catch (RuntimeException e) {
      throw new BadRequest(null, "the body is not JSON");
    }
    if (!root.isJsonObject() || !root.getAsJsonObject().has("input")) {
      throw new BadRequest("input", "expected a JSON object with \"input\" (a string or a list)");
    }
    JsonElement input = root.getAsJsonObject().get("input");
    List<String> texts = new ArrayList<>();
    if (input.isJsonArray()) {
      JsonArray items = input.getAsJsonArray();
      if (items.isEmpty()) {
        throw new BadRequest("input", "\"input\" is an empty list");
      }
      if (items.size() > maxInputs) {
        throw new BadRequest(
            "input", "\"input\" has " + items.size() + " items; at most " + maxInputs);
      }
      for (int i = 0; i < items.size(); i++) {
        texts.add(text(items.get(i), i));
      }
    } else {
      texts.add(text(input, -1));
    }
    return texts;
  }

  private static String text(JsonElement e, int index) throws BadRequest {
    String where = index < 0 ? "\"input\"" : "\"input\"[" + index + "]";
    if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
      return e.getAsString();
    }
    if (e.isJsonObject()) {
      JsonObject part = e.getAsJsonObject();
      JsonElement type = part.get("type");
      JsonElement text = part.get("text");
      if (type != null
          && "text".equals(type.getAsString())
          && text != null
          && text.isJsonPrimitive()) {
        return text.getAsString();
      }
      throw new BadRequest(where, where + ": only text inputs are supported");
    }
    throw new BadRequest(where, where + " is not a string");
  }

  /** The response body for the outcomes of one call, in input order. */
  static String response(String id, List<OutcomeRecords.Outcome> outcomes) {
    JsonObject out = new JsonObject();
    out.addProperty("id", id);
    out.addProperty(
        "model", outcomes.isEmpty() ? "" : outcomes.get(0).completion().getRewardModel());
    JsonArray results = new JsonArray();
    for (OutcomeRecords.Outcome o : outcomes) {
      results.add(result(o));
    }
    out.add("results", results);
    return GSON.toJson(out);
  }

  private static JsonObject result(OutcomeRecords.Outcome o) {
    Completion c = o.completion();
    AuditRecord a = o.audit();
    JsonObject r = new JsonObject();
    r.addProperty("flagged", c.getFlagged());
    r.add("categories", GSON.toJsonTree(c.getCategories()));
    r.add("category_scores", GSON.toJsonTree(c.getCategoryScores()));
    JsonObject extras = new JsonObject();
    extras.addProperty("steering_label", a.getSteeringLabel());
    Float score = c.getCategoryScores().get(a.getSteeringLabel());
    extras.add("score", score == null ? null : GSON.toJsonTree(score));
    extras.add("thresholds", GSON.toJsonTree(a.getThresholds()));
    extras.addProperty("first_flagged_char", a.getFirstFlaggedChar());
    extras.addProperty("request_id", c.getRequestId());
    r.add("armguard", extras);
    return r;
  }

  /** An error body in OpenAI's shape. */
  static String error(String type, String message, String param) {
    JsonObject e = new JsonObject();
    e.addProperty("message", message);
    e.addProperty("type", type);
    e.addProperty("param", param);
    e.add("code", null);
    return GSON.toJson(Map.of("error", e));
  }
}
