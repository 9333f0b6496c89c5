package io.armguard.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.armguard.model.TextTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Unlabelled texts whose prefixes candidate distillation samples besides the replies' own: the LM
 * corpus and toxicity sentences that {@code eval detox} and GENERATE steer through, where the
 * written replies' prefixes say little about which next tokens the LM proposes. Only the text is
 * used (the teacher supplies the targets), so any labels in the files are ignored.
 *
 * <p>Files: {@code .jsonl} reads each line's {@code "text"} field; anything else is one document a
 * line. Each step draws its texts evenly from the files (a small toxic file is not drowned by a
 * large clean one), uniformly within a file, from (seed, step) only, so resumed runs see the same
 * texts. Texts are tokenised when drawn and cut to {@code maxTokens}. Immutable after {@link
 * #load}; used from the training thread only.
 */
final class DistillationCorpus {
  private final List<List<String>> files;
  private final List<Path> paths;
  private final TextTokenizer tokenizer;
  private final int maxTokens;
  private final int padId;

  private DistillationCorpus(
      List<Path> paths, List<List<String>> files, TextTokenizer tokenizer, int maxTokens, int pad) {
    this.paths = List.copyOf(paths);
    this.files = List.copyOf(files);
    this.tokenizer = tokenizer;
    this.maxTokens = maxTokens;
    this.padId = pad;
  }

  /**
   * Reads every file's texts.
   *
   * @throws IllegalArgumentException naming the file when one is missing or holds no text
   */
  static DistillationCorpus load(
      List<Path> paths, TextTokenizer tokenizer, int maxTokens, int padId) throws IOException {
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("--distill-corpus: no files");
    }
    List<List<String>> texts = new ArrayList<>();
    for (Path p : paths) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException(
            "--distill-corpus " + p + ": no such file (run ./armguard data prepare first?)");
      }
      List<String> t = read(p);
      if (t.isEmpty()) {
        throw new IllegalArgumentException("--distill-corpus " + p + ": holds no text");
      }
      texts.add(t);
    }
    return new DistillationCorpus(paths, texts, tokenizer, maxTokens, padId);
  }

  private static List<String> read(Path p) throws IOException {
    boolean json = p.getFileName().toString().endsWith(".jsonl");
    List<String> out = new ArrayList<>();
    int line = 0;
    for (String s : Files.readAllLines(p, StandardCharsets.UTF_8)) {
      line++;
      if (s.isBlank()) {
        continue;
      }
      String text = s;
      if (json) {
        JsonElement t;
        try {
          JsonObject o = JsonParser.parseString(s).getAsJsonObject();
          t = o.get("text");
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(
              "--distill-corpus " + p + " line " + line + ": not a JSON object: " + e.getMessage());
        }
        if (t == null || !t.isJsonPrimitive()) {
          throw new IllegalArgumentException(
              "--distill-corpus " + p + " line " + line + ": no \"text\" string");
        }
        text = t.getAsString();
      }
      if (!text.isBlank()) {
        out.add(text);
      }
    }
    return out;
  }

  /** Texts per file, in the order given. */
  List<Integer> sizes() {
    return files.stream().map(List::size).toList();
  }

  List<Path> paths() {
    return paths;
  }

  /**
   * {ids int64 [n, T], mask int64 [n, T]} of {@code n} texts drawn for {@code step}, right padded
   * as {@link ReplyBatches#batch} pads (texts that tokenise to nothing are drawn again).
   */
  NDList batch(long seed, long step, int n, NDManager m) {
    Random random = new Random(seed * 31L + step * 1_000_003L + 5);
    List<int[]> drawn = new ArrayList<>();
    int attempts = 0;
    while (drawn.size() < n) {
      if (++attempts > n * 100) {
        throw new IllegalStateException("--distill-corpus: texts tokenise to nothing");
      }
      List<String> file = files.get(drawn.size() % files.size());
      int[] ids = tokenizer.encode(file.get(random.nextInt(file.size())));
      if (ids.length > 0) {
        drawn.add(Arrays.copyOf(ids, Math.min(ids.length, maxTokens)));
      }
    }
    int t = drawn.stream().mapToInt(a -> a.length).max().orElse(1);
    long[] x = new long[n * t];
    long[] mask = new long[n * t];
    for (int r = 0; r < n; r++) {
      int[] seq = drawn.get(r);
      for (int j = 0; j < t; j++) {
        boolean real = j < seq.length;
        x[r * t + j] = real ? seq[j] : padId;
        mask[r * t + j] = real ? 1 : 0;
      }
    }
    return new NDList(m.create(x, new Shape(n, t)), m.create(mask, new Shape(n, t)));
  }
}
