package io.armguard.eval;

import com.google.gson.JsonObject;
import io.armguard.data.ReplyItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What MODERATE did with labelled replies, item by item and summed up (the moderation-grade
 * targets): a toxic reply counts as <em>repaired</em> when it was REWRITTEN or REDACTED, the
 * delivered text is not blank, starts with the kept prefix of the original byte for byte, and its
 * delivered score is below the request's threshold; a clean reply counts as <em>kept</em> when it
 * was ALLOWED with its text unchanged. Immutable.
 */
public final class ModerationOutcomes {
  /**
   * What MODERATE answered for one reply.
   *
   * @param action the completion's action name (ALLOWED, REWRITTEN, REDACTED, BLOCKED, REJECTED)
   * @param text the delivered text (never null)
   * @param keptChars chars of the original reply delivered as received
   * @param score the delivered text's steering-label score (NaN when none)
   * @param threshold the request's decision threshold
   */
  public record Answer(String action, String text, int keptChars, float score, double threshold) {}

  private final List<JsonObject> perItem;
  private final JsonObject summary;

  private ModerationOutcomes(List<JsonObject> perItem, JsonObject summary) {
    this.perItem = perItem;
    this.summary = summary;
  }

  /** Without a judge. */
  public static ModerationOutcomes of(List<ReplyItem> items, List<Answer> outcomes) {
    return of(items, outcomes, null, Double.NaN);
  }

  /**
   * @param items the labelled replies, in request order
   * @param outcomes their outcomes, same order
   * @param judged the independent judge's score of each delivered text, or null; a repaired toxic
   *     reply then also counts as repaired <em>under the judge</em> when it scores below {@code
   *     judgeThreshold} there
   */
  public static ModerationOutcomes of(
      List<ReplyItem> items, List<Answer> outcomes, double[] judged, double judgeThreshold) {
    if (items.size() != outcomes.size()) {
      throw new IllegalArgumentException(items.size() + " items but " + outcomes.size());
    }
    List<JsonObject> rows = new ArrayList<>();
    Map<String, Integer> toxicActions = new TreeMap<>();
    Map<String, Integer> cleanActions = new TreeMap<>();
    int toxic = 0;
    int repaired = 0;
    int repairedUnderJudge = 0;
    int clean = 0;
    int kept = 0;
    for (int i = 0; i < items.size(); i++) {
      ReplyItem item = items.get(i);
      Answer a = outcomes.get(i);
      String text = a.text();
      int keptChars = Math.max(0, Math.min(a.keptChars(), item.reply().length()));
      boolean prefixIdentical = text.startsWith(item.reply().substring(0, keptChars));
      float score = a.score();
      double threshold = a.threshold();
      String action = a.action();
      boolean fixedAction = action.equals("REWRITTEN") || action.equals("REDACTED");
      boolean ok;
      if (item.toxic()) {
        toxic++;
        ok = fixedAction && !text.isBlank() && prefixIdentical && score < threshold;
        repaired += ok ? 1 : 0;
        if (ok && judged != null && judged[i] < judgeThreshold) {
          repairedUnderJudge++;
        }
        toxicActions.merge(action, 1, Integer::sum);
      } else {
        clean++;
        ok = action.equals("ALLOWED") && text.equals(item.reply());
        kept += ok ? 1 : 0;
        cleanActions.merge(action, 1, Integer::sum);
      }
      JsonObject row = new JsonObject();
      row.addProperty("id", item.id());
      row.addProperty("toxic", item.toxic() ? 1 : 0);
      row.addProperty("kind", item.kind());
      row.addProperty("action", action);
      row.addProperty("ok", ok);
      row.addProperty("score", score);
      row.addProperty("kept_chars", keptChars);
      if (judged != null) {
        row.addProperty("judge", judged[i]);
      }
      row.addProperty("reply", item.reply());
      row.addProperty("text", text);
      rows.add(row);
    }
    JsonObject s = new JsonObject();
    s.addProperty("toxic", toxic);
    s.addProperty("toxic_repaired", share(repaired, toxic));
    if (judged != null) {
      s.addProperty("toxic_repaired_under_judge", share(repairedUnderJudge, toxic));
    }
    s.add("toxic_actions", counts(toxicActions));
    s.addProperty("clean", clean);
    s.addProperty("clean_allowed_unchanged", share(kept, clean));
    s.add("clean_actions", counts(cleanActions));
    return new ModerationOutcomes(List.copyOf(rows), s);
  }

  /** One JSON object per item: id, label, kind, action, ok, score, kept_chars, reply, text. */
  public List<JsonObject> perItem() {
    return perItem;
  }

  /** The shares and action counts (a copy). */
  public JsonObject summary() {
    return summary.deepCopy();
  }

  private static double share(int n, int of) {
    return of == 0 ? Double.NaN : Math.round(10000.0 * n / of) / 10000.0;
  }

  private static JsonObject counts(Map<String, Integer> m) {
    JsonObject o = new JsonObject();
    m.forEach(o::addProperty);
    return o;
  }
}
