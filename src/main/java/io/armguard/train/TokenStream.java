package io.armguard.train;

import io.armguard.model.TextTokenizer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A corpus as one stream of token ids, documents separated by {@code <|endoftext|>} (GPT-2's
 * packing), from which the LM trainer cuts fixed-length windows. The ids are cached next to the
 * text file, keyed by a hash of the tokenizer, so a second run skips tokenisation.
 */
public final class TokenStream {
  private final int[] tokens;

  TokenStream(int[] tokens) {
    this.tokens = tokens;
  }

  public int size() {
    return tokens.length;
  }

  public int[] tokens() {
    return tokens;
  }

  /** {@code length} ids starting at {@code offset}. */
  public long[] window(int offset, int length) {
    long[] out = new long[length];
    for (int i = 0; i < length; i++) {
      out[i] = tokens[offset + i];
    }
    return out;
  }

  /** Tokenises (or reads the cached ids of) a one-document-per-line text file. */
  public static TokenStream of(Path textFile, TextTokenizer tokenizer, IntConsumer linesDone)
      throws IOException {
    String key = Integer.toHexString(tokenizer.json().hashCode());
    Path cache = textFile.resolveSibling(textFile.getFileName() + "." + key + ".tokens");
    if (Files.exists(cache)
        && Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(textFile)) > 0) {
      try (DataInputStream in =
          new DataInputStream(new BufferedInputStream(Files.newInputStream(cache)))) {
        int[] t = new int[in.readInt()];
        for (int i = 0; i < t.length; i++) {
          t[i] = in.readInt();
        }
        return new TokenStream(t);
      }
    }
    TokenStream stream = encode(Files.readAllLines(textFile), tokenizer, linesDone);
    Path tmp = cache.resolveSibling(cache.getFileName() + ".tmp");
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
      out.writeInt(stream.tokens.length);
      for (int t : stream.tokens) {
        out.writeInt(t);
      }
    }
    Files.move(tmp, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return stream;
  }

  /** Tokenises documents into one stream, each followed by EOS. */
  public static TokenStream encode(
      List<String> documents, TextTokenizer tokenizer, IntConsumer linesDone) {
    int[] buffer = new int[1 << 16];
    int n = 0;
    int eos = tokenizer.eosId();
    for (String doc : documents) {
      int[] ids = tokenizer.encode(doc);
      if (n + ids.length + 1 > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, n + ids.length + 1));
      }
      System.arraycopy(ids, 0, buffer, n, ids.length);
      n += ids.length;
      buffer[n++] = eos;
      linesDone.accept(1);
    }
    return new TokenStream(Arrays.copyOf(buffer, n));
  }
}
