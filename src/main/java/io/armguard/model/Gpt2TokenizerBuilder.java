package io.armguard.model;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds GPT-2's byte-level BPE tokenizer as a Hugging Face {@code tokenizer.json} from jtokkit's
 * {@code r50k_base} ranks (GPT-2's vocabulary: a token's rank is its GPT-2 id). The merge list is
 * recovered from the ranks: token r is the merge of the two parts that BPE with ranks below r
 * leaves. Optionally cut to the first N merges for small models: ids 0..255 are the bytes,
 * 256..255+N the merges, and {@code <|endoftext|>} is the last id (256 + N).
 */
public final class Gpt2TokenizerBuilder {

  /** Number of merges in GPT-2's full vocabulary (50,257 = 256 bytes + 50,000 + 1). */
  public static final int FULL_MERGES = 50_000;

  public static final String END_OF_TEXT = "<|endoftext|>";

  private static final String RANKS = "/com/knuddels/jtokkit/r50k_base.tiktoken";

  private Gpt2TokenizerBuilder() {}

  /** Vocabulary size of a tokenizer with {@code merges} merges. */
  public static int vocabSize(int merges) {
    return 256 + merges + 1;
  }

  /** Writes a tokenizer.json with the first {@code merges} merges (0..50,000). */
  public static void write(Path tokenizerJson, int merges) throws IOException {
    Files.writeString(tokenizerJson, json(merges), StandardCharsets.UTF_8);
  }

  /** The tokenizer.json text with the first {@code merges} merges (0..50,000). */
  public static String json(int merges) throws IOException {
    if (merges < 0 || merges > FULL_MERGES) {
      throw new IllegalArgumentException("merges must be in [0, " + FULL_MERGES + "]: " + merges);
    }
    List<String> tokens = readRanks(256 + merges); // latin1 byte strings, index = id
    Map<String, Integer> rank = new HashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      rank.put(tokens.get(i), i);
    }
    JsonObject vocab = new JsonObject();
    for (int i = 0; i < tokens.size(); i++) {
      vocab.addProperty(ByteLevelAlphabet.spell(tokens.get(i)), i);
    }
    JsonArray mergeList = new JsonArray();
    for (int r = 256; r < tokens.size(); r++) {
      List<String> parts = bpe(tokens.get(r), rank, r);
      if (parts.size() != 2) {
        throw new IllegalStateException("token " + r + " does not split into one merge: " + parts);
      }
      mergeList.add(
          ByteLevelAlphabet.spell(parts.get(0)) + " " + ByteLevelAlphabet.spell(parts.get(1)));
    }
    int eos = tokens.size();
    vocab.addProperty(END_OF_TEXT, eos);
    return new GsonBuilder()
        .disableHtmlEscaping()
        .create()
        .toJson(tokenizer(vocab, mergeList, eos));
  }

  private static JsonObject tokenizer(JsonObject vocab, JsonArray merges, int eos) {
    JsonObject model = new JsonObject();
    model.addProperty("type", "BPE");
    model.add("dropout", JsonNull.INSTANCE);
    model.add("unk_token", JsonNull.INSTANCE);
    model.addProperty("continuing_subword_prefix", "");
    model.addProperty("end_of_word_suffix", "");
    model.addProperty("fuse_unk", false);
    model.addProperty("byte_fallback", false);
    model.add("vocab", vocab);
    model.add("merges", merges);
    JsonObject added = new JsonObject();
    added.addProperty("id", eos);
    added.addProperty("content", END_OF_TEXT);
    added.addProperty("single_word", false);
    added.addProperty("lstrip", false);
    added.addProperty("rstrip", false);
    added.addProperty("normalized", true);
    added.addProperty("special", true);
    JsonArray addedTokens = new JsonArray();
    addedTokens.add(added);
    JsonObject t = new JsonObject();
    t.addProperty("version", "1.0");
    t.add("truncation", JsonNull.INSTANCE);
    t.add("padding", JsonNull.INSTANCE);
    t.add("added_tokens", addedTokens);
    t.add("normalizer", JsonNull.INSTANCE);
    t.add("pre_tokenizer", byteLevel(false, true));
    t.add("post_processor", byteLevel(false, false));
    t.add("decoder", byteLevel(false, true));
    t.add("model", model);
    return t;
  }

  private static JsonObject byteLevel(boolean addPrefixSpace, boolean trimOffsets) {
    JsonObject o = new JsonObject();
    o.addProperty("type", "ByteLevel");
    o.addProperty("add_prefix_space", addPrefixSpace);
    o.addProperty("trim_offsets", trimOffsets);
    o.addProperty("use_regex", true);
    return o;
  }

  /** BPE of one token's bytes using only ranks below {@code maxRank}; returns the parts. */
  private static List<String> bpe(String token, Map<String, Integer> rank, int maxRank) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < token.length(); i++) {
      parts.add(token.substring(i, i + 1));
    }
    while (parts.size() > 1) {
      int best = -1;
      int bestRank = maxRank;
      for (int i = 0; i + 1 < parts.size(); i++) {
        Integer r = rank.get(parts.get(i) + parts.get(i + 1));
        if (r != null && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      parts.set(best, parts.get(best) + parts.remove(best + 1));
    }
    return parts;
  }

  /** The first {@code count} tokens of r50k_base as ISO-8859-1 strings (one char per byte). */
  private static List<String> readRanks(int count) throws IOException {
    List<String> tokens = new ArrayList<>(count);
    try (InputStream in = Gpt2TokenizerBuilder.class.getResourceAsStream(RANKS)) {
      if (in == null) {
        throw new IOException("jtokkit's " + RANKS + " is not on the classpath");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      String line;
      while (tokens.size() < count && (line = r.readLine()) != null) {
        int space = line.indexOf(' ');
        int id = Integer.parseInt(line.substring(space + 1));
        if (id != tokens.size()) {
          throw new IOException(RANKS + ": ranks are not consecutive at " + id);
        }
        byte[] bytes = Base64.getDecoder().decode(line.substring(0, space));
        tokens.add(new String(bytes, StandardCharsets.ISO_8859_1));
      }
    }
    if (tokens.size() < count) {
      throw new IOException(RANKS + " has only " + tokens.size() + " tokens");
    }
    return tokens;
  }
}
