package io.armguard.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplySetTest {
  @TempDir Path dir;

  private static final String TOXIC =
      "{\"id\":\"a-0001\",\"prompt\":\"help\",\"reply\":\"Sure. You are a moron though.\","
          + "\"toxicity\":1,\"categories\":[\"insult\"],\"span\":\"moron\",\"kind\":\"direct_insult\","
          + "\"domain\":\"support\"}";
  private static final String CLEAN =
      "{\"id\":\"b-0001\",\"prompt\":\"how\",\"reply\":\"Run kill -9 on the process.\","
          + "\"toxicity\":0,\"categories\":[],\"span\":null,\"kind\":\"technical\","
          + "\"domain\":\"coding\"}";

  @Test
  void readsBatchesWithSpansAndLabels() throws IOException {
    Files.writeString(dir.resolve("batch-a.jsonl"), TOXIC + "\n\n");
    Files.writeString(dir.resolve("batch-b.jsonl"), CLEAN + "\n");
    Files.writeString(dir.resolve("notes.txt"), "ignored");
    ReplySet set = ReplySet.load(dir);
    assertEquals(2, set.size());
    assertEquals(Set.of("a", "b"), set.batches());
    ReplyItem toxic = set.items().get(0);
    assertTrue(toxic.toxic());
    assertEquals("moron", toxic.reply().substring(toxic.toxicStart(), toxic.toxicEnd()));
    assertArrayEquals(new float[] {1, 1, 0, 0, 0, 0}, toxic.labelVector());
    ReplyItem clean = set.items().get(1);
    assertFalse(clean.toxic());
    assertEquals(-1, clean.toxicStart());
    assertArrayEquals(new float[6], clean.labelVector());
    assertEquals(1, set.only(Set.of("b")).size());
    assertEquals("a-0001", set.without(Set.of("b")).items().get(0).id());
    assertArrayEquals(new int[] {1, 1, 1, 0, 0, 0, 0}, set.counts().get("a"));
  }

  @Test
  void badLinesNameFileAndLine() throws IOException {
    Files.writeString(
        dir.resolve("batch-a.jsonl"), TOXIC + "\n" + TOXIC.replace("\"moron\"", "\"genius\""));
    IOException e = assertThrows(IOException.class, () -> ReplySet.load(dir));
    assertTrue(e.getMessage().contains("batch-a.jsonl:2"), e.getMessage());
    Files.writeString(dir.resolve("batch-a.jsonl"), TOXIC + "\n" + TOXIC);
    e = assertThrows(IOException.class, () -> ReplySet.load(dir));
    assertTrue(e.getMessage().contains("duplicate id"), e.getMessage());
    Files.writeString(dir.resolve("batch-a.jsonl"), CLEAN.replace("[]", "[\"slander\"]"));
    e = assertThrows(IOException.class, () -> ReplySet.load(dir));
    assertTrue(e.getMessage().contains("unknown category slander"), e.getMessage());
  }

  @Test
  void anEmptyFolderIsAnError() {
    assertThrows(IOException.class, () -> ReplySet.load(dir));
  }
}
