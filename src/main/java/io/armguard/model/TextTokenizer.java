package io.armguard.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Hugging Face {@code tokenizer.json} loaded with DJL's native tokenizer, configured for a causal
 * LM: no special tokens added, no truncation (DJL truncates at 512 by default), no padding.
 * Thread-safe; close it to free the native tokenizer.
 *
 * <p>Two vocabularies are understood: GPT-2's byte-level BPE ({@code <|endoftext|>} starts and ends
 * a text) and BERT's WordPiece ({@code [CLS]} starts a text, {@code [SEP]} ends it, {@code [PAD]}
 * pads). Decoding uses the file's own decoder: for WordPiece it joins {@code ##} pieces and, with
 * {@code cleanup} (HF's default), removes the spaces before punctuation and in contractions as
 * {@code clean_up_tokenization_spaces} does ("hello , world" becomes "hello, world", "don ' t"
 * becomes "don't"). WordPiece vocabularies are lower-cased by their normalizer, so decoding gives
 * the normalized text, not the original casing.
 */
public final class TextTokenizer implements AutoCloseable {

  /** Token ids of a text with, for each token, the char offset where it ends (exclusive). */
  public record Encoded(int[] ids, int[] endChars) {}

  private final String json;
  private final HuggingFaceTokenizer tokenizer;
  private final int vocabSize;
  private final int eosId;
  private final int bosId;
  private final int padId;
  private final boolean lowercases;
  private final Kind kind;
  private final String fingerprint;

  /** The vocabulary family of a tokenizer.json ({@code model.type}). */
  public enum Kind {
    /** GPT-2's byte-level BPE. */
    BPE,
    /** BERT's WordPiece. */
    WORD_PIECE
  }

  private TextTokenizer(String json) throws IOException {
    this.json = json;
    this.tokenizer =
        HuggingFaceTokenizer.newInstance(
            new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
            Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
    JsonObject root = JsonParser.parseString(json).getAsJsonObject();
    JsonObject model = root.getAsJsonObject("model");
    TreeMap<Integer, String> byId = new TreeMap<>();
    for (Map.Entry<String, JsonElement> e : model.getAsJsonObject("vocab").entrySet()) {
      byId.put(e.getValue().getAsInt(), e.getKey());
    }
    Map<String, Integer> special = new java.util.HashMap<>();
    if (root.has("added_tokens")) {
      for (JsonElement t : root.getAsJsonArray("added_tokens")) {
        JsonObject o = t.getAsJsonObject();
        byId.put(o.get("id").getAsInt(), o.get("content").getAsString());
        special.put(o.get("content").getAsString(), o.get("id").getAsInt());
      }
    }
    String type = model.has("type") ? model.get("type").getAsString() : "BPE";
    this.kind = type.equals("WordPiece") ? Kind.WORD_PIECE : Kind.BPE;
    this.vocabSize = byId.isEmpty() ? 0 : byId.lastKey() + 1;
    if (kind == Kind.WORD_PIECE) {
      this.bosId = special.getOrDefault("[CLS]", -1);
      this.eosId = special.getOrDefault("[SEP]", -1);
      this.padId = special.getOrDefault("[PAD]", -1);
    } else {
      int eot = special.getOrDefault(Gpt2TokenizerBuilder.END_OF_TEXT, -1);
      this.bosId = eot;
      this.eosId = eot;
      this.padId = -1;
    }
    this.fingerprint = fingerprint(byId, model.get("merges"));
    this.lowercases = lowercases(root.get("normalizer"));
  }

  /** Whether a normalizer (or one of a Sequence's) lower-cases the text. */
  private static boolean lowercases(JsonElement normalizer) {
    if (normalizer == null || !normalizer.isJsonObject()) {
      return false;
    }
    JsonObject n = normalizer.getAsJsonObject();
    String type = n.has("type") ? n.get("type").getAsString() : "";
    if (type.equals("Lowercase")) {
      return true;
    }
    if (type.equals("BertNormalizer")) {
      return !n.has("lowercase") || n.get("lowercase").getAsBoolean();
    }
    if (type.equals("Sequence") && n.has("normalizers")) {
      for (JsonElement e : n.getAsJsonArray("normalizers")) {
        if (lowercases(e)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether encoding lower-cases text (an uncased vocabulary: decoding cannot restore case). */
  public boolean lowercases() {
    return lowercases;
  }

  /** Loads a {@code tokenizer.json} file. */
  public static TextTokenizer load(Path tokenizerJson) throws IOException {
    return new TextTokenizer(Files.readString(tokenizerJson, StandardCharsets.UTF_8));
  }

  /** Loads tokenizer.json text. */
  public static TextTokenizer fromJson(String json) throws IOException {
    return new TextTokenizer(json);
  }

  /** GPT-2's tokenizer built from r50k_base, cut to the first {@code merges} merges. */
  public static TextTokenizer gpt2(int merges) throws IOException {
    return new TextTokenizer(Gpt2TokenizerBuilder.json(merges));
  }

  /** Token ids of {@code text}. */
  public int[] encode(String text) {
    return toInts(tokenizer.encode(text).getIds());
  }

  /** Token ids of {@code text} as int64, as NDArrays want them. */
  public long[] encodeLong(String text) {
    return tokenizer.encode(text).getIds();
  }

  /** Token ids with per-token char end offsets (for cutting a text at a token boundary). */
  public Encoded encodeWithOffsets(String text) {
    Encoding e = tokenizer.encode(text);
    CharSpan[] spans = e.getCharTokenSpans();
    int[] ends = new int[spans.length];
    for (int i = 0; i < spans.length; i++) {
      ends[i] = spans[i] == null ? (i == 0 ? 0 : ends[i - 1]) : spans[i].getEnd();
    }
    return new Encoded(toInts(e.getIds()), ends);
  }

  /**
   * The text of {@code ids}; special tokens ({@code <|endoftext|>}, {@code [CLS]}, {@code [SEP]},
   * {@code [PAD]}) are skipped.
   */
  public String decode(int[] ids) {
    long[] l = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      l[i] = ids[i];
    }
    String text = tokenizer.decode(l, true);
    return kind == Kind.WORD_PIECE ? cleanUpTokenizationSpaces(text) : text;
  }

  /**
   * transformers' {@code clean_up_tokenization} (PreTrainedTokenizerBase), applied after the native
   * WordPiece decoder, whose own cleanup leaves {@code it ' s} and {@code don ' t} apart.
   */
  static String cleanUpTokenizationSpaces(String s) {
    return s.replace(" .", ".")
        .replace(" ?", "?")
        .replace(" !", "!")
        .replace(" ,", ",")
        .replace(" ' ", "'")
        .replace(" n't", "n't")
        .replace(" 'm", "'m")
        .replace(" 's", "'s")
        .replace(" 've", "'ve")
        .replace(" 're", "'re");
  }

  /** Number of ids (largest id + 1). */
  public int vocabSize() {
    return vocabSize;
  }

  /**
   * Id that ends a text: {@code <|endoftext|>} (BPE) or {@code [SEP]} (WordPiece); -1 when the
   * vocabulary has none.
   */
  public int eosId() {
    return eosId;
  }

  /**
   * Id placed before a text: {@code <|endoftext|>} (BPE) or {@code [CLS]} (WordPiece); -1 when the
   * vocabulary has none.
   */
  public int bosId() {
    return bosId;
  }

  /** Id of {@code [PAD]} (WordPiece), or -1 (BPE has no padding token: padding is masked). */
  public int padId() {
    return padId;
  }

  /** The vocabulary family. */
  public Kind kind() {
    return kind;
  }

  /** Whether both tokenizers map the same strings to the same ids with the same merges. */
  public boolean sameVocabulary(TextTokenizer other) {
    return fingerprint.equals(other.fingerprint);
  }

  /** The tokenizer.json text this tokenizer was loaded from. */
  public String json() {
    return json;
  }

  /** Writes the tokenizer.json text to {@code file}. */
  public void write(Path file) throws IOException {
    Files.writeString(file, json, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  private static int[] toInts(long[] ids) {
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = (int) ids[i];
    }
    return out;
  }

  private static String fingerprint(TreeMap<Integer, String> byId, JsonElement merges) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byId.forEach(
          (id, tok) -> md.update((id + "\t" + tok + "\n").getBytes(StandardCharsets.UTF_8)));
      if (merges != null) {
        md.update(merges.toString().getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
