package io.armguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** reward init -> guided generate -> bench decode with ARM and RAD, in-process through picocli. */
class RewardCommandsTest {

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
  void rewardInitGuidedGenerateAndBench() {
    Path lm = tmp.resolve("lm");
    Path arm = tmp.resolve("arm");
    Path rad = tmp.resolve("rad");
    run(
        "model",
        "init",
        "--out",
        lm.toString(),
        "--layers",
        "2",
        "--d-model",
        "32",
        "--heads",
        "2",
        "--vocab-merges",
        "100",
        "--context",
        "64");
    String armOut =
        run(
            "reward",
            "init",
            "--lm",
            lm.toString(),
            "--out",
            arm.toString(),
            "--kind",
            "arm",
            "--labels",
            "toxicity,insult");
    assertTrue(
        armOut.contains(
            "arm head (toxicity,insult, steering toxicity away_from_label) on" + " 1 of 2 layers"),
        armOut);
    assertTrue(Files.exists(arm.resolve("armguard.json")));
    run("reward", "init", "--lm", lm.toString(), "--out", rad.toString(), "--kind", "rad");

    String[] common = {
      "generate",
      "--lm",
      lm.toString(),
      "--reward",
      arm.toString(),
      "--reward",
      rad.toString(),
      "--prompt",
      "Hello there",
      "--max-new-tokens",
      "5",
      "--device",
      "cpu",
      "--json",
      "--seed",
      "3"
    };
    JsonObject unguided = json(run(concat(common, "--strategy", "unguided")));
    JsonObject armZero = json(run(concat(common, "--strategy", "arm", "--beta", "0")));
    assertEquals(
        unguided.getAsJsonObject("result").get("token_ids"),
        armZero.getAsJsonObject("result").get("token_ids"),
        "beta 0 = unguided");
    JsonObject radOut = json(run(concat(common, "--strategy", "rad", "--beta", "20")));
    assertEquals("RAD", radOut.getAsJsonObject("request").get("strategy").getAsString());
    assertEquals(
        radOut.getAsJsonObject("result").getAsJsonArray("token_ids").size(),
        radOut.getAsJsonObject("result").getAsJsonArray("token_rewards").size());
    assertTrue(radOut.get("reward_id").getAsString().startsWith("arm@"), radOut.toString());

    String bench =
        run(
            "bench",
            "decode",
            "--json",
            "--strategies",
            "unguided,arm,rad",
            "--top-k",
            "2,4",
            "--batch",
            "2",
            "--lm-layers",
            "2",
            "--d-model",
            "32",
            "--heads",
            "2",
            "--vocab",
            "500",
            "--new-tokens",
            "3",
            "--prompt-tokens",
            "3",
            "--runs",
            "1",
            "--warmup",
            "0",
            "--skip-recompute");
    String[] lines = bench.strip().split("\n");
    assertEquals(6, lines.length, bench);
    JsonObject last = json(lines[5]);
    assertEquals("rad", last.get("strategy").getAsString());
    assertEquals(4, last.get("top_k").getAsInt());
    assertEquals(2, last.get("batch").getAsInt());
    assertTrue(last.get("ms_per_step").getAsDouble() > 0);
    assertTrue(last.get("reward_ms_per_step").getAsDouble() > 0);
    assertEquals(0.0, json(lines[0]).get("reward_ms_per_step").getAsDouble());
  }

  private static JsonObject json(String line) {
    return JsonParser.parseString(line.strip()).getAsJsonObject();
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
