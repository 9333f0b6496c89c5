package io.armguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** model init -> model info -> generate -> bench decode, in-process through picocli. */
class ModelCommandsTest {

  @TempDir Path tmp;

  private String run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      int code = Main.commandLine().execute(args);
      assertEquals(0, code, String.join(" ", args));
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void initInfoGenerateAndBench() {
    Path dir = tmp.resolve("lm");
    String init =
        run(
            "model",
            "init",
            "--out",
            dir.toString(),
            "--layers",
            "1",
            "--d-model",
            "32",
            "--heads",
            "2",
            "--vocab-merges",
            "100",
            "--context",
            "64");
    assertTrue(init.contains("vocab 357"), init);
    assertTrue(Files.exists(dir.resolve("config.json")));
    assertTrue(Files.exists(dir.resolve("tokenizer.json")));
    assertTrue(run("model", "info", dir.toString()).contains("backbone parameters"));

    String[] gen = {
      "generate",
      "--lm",
      dir.toString(),
      "--prompt",
      "Hello there",
      "--temperature",
      "0",
      "--max-new-tokens",
      "6",
      "--device",
      "cpu"
    };
    String first = run(gen);
    assertFalse(first.isBlank());
    assertEquals(first, run(gen), "greedy is deterministic");

    String bench =
        run(
            "bench",
            "decode",
            "--json",
            "--lm-layers",
            "1",
            "--d-model",
            "32",
            "--heads",
            "2",
            "--vocab",
            "500",
            "--batch",
            "1,4",
            "--new-tokens",
            "4",
            "--prompt-tokens",
            "3",
            "--runs",
            "1",
            "--warmup",
            "0");
    String[] lines = bench.strip().split("\n");
    assertEquals(2, lines.length, bench);
    JsonObject o = JsonParser.parseString(lines[1]).getAsJsonObject();
    assertEquals("unguided", o.get("strategy").getAsString());
    assertEquals(4, o.get("batch").getAsInt());
    assertEquals(4, o.get("new_tokens").getAsInt());
    assertTrue(o.get("tokens_per_s").getAsDouble() > 0);
    assertTrue(o.get("ms_per_step").getAsDouble() > 0);
    assertTrue(o.get("recompute_ms_per_step").getAsDouble() > 0);
  }
}
