package io.armguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTableTest {

  @Test
  void filesAndSourcesAreAlignedTablesWithShortHashes() {
    JsonObject manifest =
        JsonParser.parseString(
                """
                {"seed": 1234,
                 "files": {
                   "lm/train.txt": {"documents": 124357, "chars": 13516363,
                     "by_source": {"fortunes": 1, "nlp-corpus": 2},
                     "sha256": "dfcd61678c37dd27c023882b2b7ff1ba", "lines": 124357},
                   "gold/gold.jsonl": {"items": 442, "toxic": 215, "non_toxic": 227,
                     "by_source": {"hubot-insulter:insults": 215},
                     "sha256": "232a0393f72cfa5c7126aee22d0b7066", "lines": 442}},
                 "sources": [
                   {"name": "nlp-corpus", "version": "4.4.0", "archive": "nlp-corpus-4.4.0.tgz",
                    "sha256": "099df43749ba6bb26953f98863a5d38f"},
                   {"name": "cuss", "version": "2.2.0"}]}
                """)
            .getAsJsonObject();
    assertEquals(
        List.of(
            "file               rows  toxic     chars  sources  sha256",
            "lm/train.txt     124357      -  13516363        2  dfcd61678c37",
            "gold/gold.jsonl     442    215         -        1  232a0393f72c",
            "",
            "source      version  archive               sha256",
            "nlp-corpus  4.4.0    nlp-corpus-4.4.0.tgz  099df43749ba",
            "cuss        2.2.0    -                     -"),
        ManifestTable.lines(manifest));
  }

  @Test
  void aRowOfTheWrongWidthIsABug() {
    TextTable t = new TextTable("a", "b");
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> t.row(1));
  }
}
