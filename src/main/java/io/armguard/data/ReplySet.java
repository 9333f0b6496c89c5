package io.armguard.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The labelled reply set written for armguard: one JSON-lines file per independently written batch
 * ({@code batch-NAME.jsonl} in {@code data/replies}), documented in that folder's data card. Splits
 * are by batch, so that validation on one batch measures how well a model generalises to text
 * written by another hand. Immutable once loaded.
 */
public final class ReplySet {
  /** Where the set lives in the repository. */
  public static final Path DEFAULT_DIR = Path.of("data", "replies");

  /**
   * The batches scored only, never used for a choice, comma-separated: {@code test} (general),
   * {@code pval} (personal remarks), {@code rval} (remarks on command: whimsical compliments vs
   * roasts), {@code wry} (contemptuous sarcasm vs the same deadpan voice used kindly; written as a
   * training batch, made a test when two runs trained on it decided worse on validation and none
   * was shipped), {@code ctest} (mention versus use: quoting, reporting, explaining or condemning
   * offensive words vs using them). A constant so command-line defaults can name it.
   */
  public static final String HELD_OUT = "test,pval,rval,wry,ctest";

  /** {@link #HELD_OUT} as a list: the default held-out set of every trainer and evaluation. */
  public static final List<String> HELD_OUT_BATCHES = List.of(HELD_OUT.split(","));

  /**
   * The validation batches, comma-separated: they calibrate (Platt scaling), set thresholds and
   * choose between runs. {@code val} (general chatbot replies) and {@code rsel} (remarks on
   * command, another hand than {@code rval}), so that choices see both kinds of text the held-out
   * batches test, and {@code csel} (mention versus use, another hand than {@code ctest}). A
   * constant so command-line defaults can name it.
   */
  public static final String VALIDATION = "val,rsel,csel";

  /** {@link #VALIDATION} as a list: the default validation set of every trainer and evaluation. */
  public static final List<String> VALIDATION_BATCHES = List.of(VALIDATION.split(","));

  /**
   * The batches that only validate or test (the {@link #VALIDATION} ones calibrate and choose; the
   * {@link #HELD_OUT} ones are scored only): no trainer (reward models, judge, LM corpus) reads
   * them, whatever batches it is told to hold out.
   */
  public static final Set<String> EVALUATION_BATCHES =
      Set.copyOf(
          java.util.stream.Stream.concat(VALIDATION_BATCHES.stream(), HELD_OUT_BATCHES.stream())
              .toList());

  private final List<ReplyItem> items;

  private ReplySet(List<ReplyItem> items) {
    this.items = List.copyOf(items);
  }

  public static ReplySet of(List<ReplyItem> items) {
    return new ReplySet(items);
  }

  /**
   * Reads every {@code batch-*.jsonl} in {@code dir} in name order.
   *
   * @throws IOException if the folder has no batch, or a line is malformed (the message names the
   *     file and line)
   */
  public static ReplySet load(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(p -> p.getFileName().toString().matches("batch-[a-z0-9]+\\.jsonl"))
              .sorted()
              .toList();
    }
    if (files.isEmpty()) {
      throw new IOException("no batch-*.jsonl files in " + dir);
    }
    List<ReplyItem> items = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Path f : files) {
      String batch = f.getFileName().toString().replaceAll("^batch-|\\.jsonl$", "");
      List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
      for (int n = 0; n < lines.size(); n++) {
        if (lines.get(n).isBlank()) {
          continue;
        }
        ReplyItem item;
        try {
          item = parse(batch, PreparedData.GSON.fromJson(lines.get(n), JsonObject.class));
        } catch (JsonParseException | IllegalArgumentException | NullPointerException e) {
          throw new IOException(f + ":" + (n + 1) + ": " + e.getMessage(), e);
        }
        if (!ids.add(item.id())) {
          throw new IOException(f + ":" + (n + 1) + ": duplicate id " + item.id());
        }
        items.add(item);
      }
    }
    return new ReplySet(items);
  }

  static ReplyItem parse(String batch, JsonObject o) {
    String id = o.get("id").getAsString();
    String prompt = o.has("prompt") && !o.get("prompt").isJsonNull() ? string(o, "prompt") : "";
    String reply = string(o, "reply");
    int toxicity = o.get("toxicity").getAsInt();
    Set<String> categories = new LinkedHashSet<>();
    JsonArray cats = o.getAsJsonArray("categories");
    for (JsonElement c : cats) {
      String name = c.getAsString();
      if (!ReplyLabels.CATEGORIES.contains(name)) {
        throw new IllegalArgumentException(id + ": unknown category " + name);
      }
      categories.add(name);
    }
    String kind = o.has("kind") ? string(o, "kind") : "";
    String domain = o.has("domain") && !o.get("domain").isJsonNull() ? string(o, "domain") : "";
    if (toxicity == 0) {
      if (!categories.isEmpty()) {
        throw new IllegalArgumentException(id + ": a non-toxic reply has categories");
      }
      return ReplyItem.clean(id, batch, prompt, reply, kind, domain);
    }
    if (toxicity != 1) {
      throw new IllegalArgumentException(id + ": toxicity must be 0 or 1");
    }
    return ReplyItem.toxic(id, batch, prompt, reply, categories, string(o, "span"), kind, domain);
  }

  private static String string(JsonObject o, String key) {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      throw new IllegalArgumentException("missing " + key);
    }
    return e.getAsString();
  }

  public List<ReplyItem> items() {
    return items;
  }

  public int size() {
    return items.size();
  }

  /** The batch names, sorted. */
  public Set<String> batches() {
    Set<String> out = new java.util.TreeSet<>();
    items.forEach(i -> out.add(i.batch()));
    return out;
  }

  /** The items of the named batches, in file order. */
  public ReplySet only(Set<String> batches) {
    return new ReplySet(items.stream().filter(i -> batches.contains(i.batch())).toList());
  }

  /** The items of every batch not named. */
  public ReplySet without(Set<String> batches) {
    return new ReplySet(items.stream().filter(i -> !batches.contains(i.batch())).toList());
  }

  /** Counts per batch: items, toxic, and each category (the data card's table). */
  public TreeMap<String, int[]> counts() {
    TreeMap<String, int[]> out = new TreeMap<>();
    for (ReplyItem i : items) {
      int[] c = out.computeIfAbsent(i.batch(), b -> new int[2 + ReplyLabels.CATEGORIES.size()]);
      c[0]++;
      if (i.toxic()) {
        c[1]++;
      }
      for (int j = 0; j < ReplyLabels.CATEGORIES.size(); j++) {
        if (i.categories().contains(ReplyLabels.CATEGORIES.get(j))) {
          c[2 + j]++;
        }
      }
    }
    return out;
  }

  /**
   * Splits the items by a stable hash of their id: about {@code share} of every batch goes to the
   * second part. The same ids always land on the same side, whatever else the set holds.
   *
   * @param salt names the split, so different splits of one set are independent
   * @return {first (about 1 - share), second (about share)}
   */
  public ReplySet[] splitByHash(double share, String salt) {
    List<ReplyItem> a = new ArrayList<>();
    List<ReplyItem> b = new ArrayList<>();
    for (ReplyItem i : items) {
      long h = (salt + ":" + i.id()).hashCode() * 0x9E3779B97F4A7C15L;
      double u = ((h >>> 11) & ((1L << 53) - 1)) / (double) (1L << 53);
      (u < share ? b : a).add(i);
    }
    return new ReplySet[] {new ReplySet(a), new ReplySet(b)};
  }

  /**
   * Whole labelled texts (e.g. the gold set) as a batch of replies without prompts, so they are
   * scored and measured exactly like the reply set: a toxic text is an {@code insult} whose span is
   * the whole text.
   *
   * @param batch the batch name (and id prefix) to give them
   */
  public static ReplySet fromLabelled(List<LabelledText> texts, String batch) {
    List<ReplyItem> out = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String t = texts.get(i).text();
      String id = batch + "-" + i;
      out.add(
          texts.get(i).label() == 1
              ? ReplyItem.toxic(id, batch, "", t, Set.of("insult"), t, batch, batch)
              : ReplyItem.clean(id, batch, "", t, batch, batch));
    }
    return new ReplySet(out);
  }
}
