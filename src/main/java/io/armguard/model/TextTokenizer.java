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
 */
public final class TextTokenizer implements AutoCloseable {

  /** Token ids of a text with, for each token, the char offset where it ends (exclusive). */
  public record Encoded(int[] ids, int[] endChars) {}

  private final String json;
  private final HuggingFaceTokenizer tokenizer;
  private final int vocabSize;
  private final int eosId;
  private final String fingerprint;

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
    int eos = -1;
    if (root.has("added_tokens")) {
      for (JsonElement t : root.getAsJsonArray("added_tokens")) {
        JsonObject o = t.getAsJsonObject();
        byId.put(o.get("id").getAsInt(), o.get("content").getAsString());
        if (o.get("content").getAsString().equals(Gpt2TokenizerBuilder.END_OF_TEXT)) {
          eos = o.get("id").getAsInt();
        }
      }
    }
    this.vocabSize = byId.isEmpty() ? 0 : byId.lastKey() + 1;
    this.eosId = eos;
    this.fingerprint = fingerprint(byId, model.get("merges"));
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

  /** The text of {@code ids}; special tokens ({@code <|endoftext|>}) are skipped. */
  public String decode(int[] ids) {
    long[] l = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      l[i] = ids[i];
    }
    return tokenizer.decode(l, true);
  }

  /** Number of ids (largest id + 1). */
  public int vocabSize() {
    return vocabSize;
  }

  /** Id of {@code <|endoftext|>}, or -1 when the vocabulary has none. */
  public int eosId() {
    return eosId;
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
