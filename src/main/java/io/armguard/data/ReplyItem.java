package io.armguard.data;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One labelled (prompt, reply) pair of the reply set written for armguard ({@code data/replies}).
 * Only the reply is labelled; the prompt is the user's message it answers.
 *
 * @param id unique id, {@code <batch>-NNNN}
 * @param batch the independently written batch it belongs to (its file name)
 * @param prompt the user's message, never null (may be empty)
 * @param reply the chatbot's reply, 3-60 words
 * @param categories the reply's toxic categories, a subset of {@link ReplyLabels#CATEGORIES}; empty
 *     exactly when the reply is not toxic
 * @param toxicStart for a toxic reply, the first character of the span where it first becomes
 *     toxic; -1 for a clean one
 * @param toxicEnd the end (exclusive) of that span; -1 for a clean reply
 * @param kind the writer's kind tag (e.g. {@code threat}, {@code civil_negative})
 * @param domain the topic (e.g. {@code coding}); free text
 */
public record ReplyItem(
    String id,
    String batch,
    String prompt,
    String reply,
    Set<String> categories,
    int toxicStart,
    int toxicEnd,
    String kind,
    String domain) {

  public ReplyItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(reply, "reply");
    prompt = prompt == null ? "" : prompt;
    categories = Set.copyOf(categories);
    if (categories.isEmpty() != (toxicStart < 0)) {
      throw new IllegalArgumentException(id + ": a toxic reply needs a span and a category");
    }
  }

  /** A reply labelled clean. */
  public static ReplyItem clean(
      String id, String batch, String prompt, String reply, String kind, String domain) {
    return new ReplyItem(id, batch, prompt, reply, Set.of(), -1, -1, kind, domain);
  }

  /** A toxic reply whose toxicity becomes evident at {@code span} (an exact substring). */
  public static ReplyItem toxic(
      String id,
      String batch,
      String prompt,
      String reply,
      Set<String> categories,
      String span,
      String kind,
      String domain) {
    int start = reply.indexOf(span);
    if (span.isEmpty() || start < 0) {
      throw new IllegalArgumentException(id + ": span is not a substring of the reply: " + span);
    }
    return new ReplyItem(
        id, batch, prompt, reply, categories, start, start + span.length(), kind, domain);
  }

  public boolean toxic() {
    return !categories.isEmpty();
  }

  /** 1/0 per label of {@link ReplyLabels#LABELS} ({@code toxicity} first) for the whole reply. */
  public float[] labelVector() {
    List<String> labels = ReplyLabels.LABELS;
    float[] y = new float[labels.size()];
    for (int j = 0; j < y.length; j++) {
      String l = labels.get(j);
      y[j] = (l.equals(ReplyLabels.TOXICITY) ? toxic() : categories.contains(l)) ? 1f : 0f;
    }
    return y;
  }
}
