package io.armguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.armguard.model.GptBackbone;
import io.armguard.model.GptConfig;
import io.armguard.model.ModelDirectory;
import io.armguard.model.SafetensorsDType;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.RewardKind;
import io.armguard.reward.RewardModelInfo;
import io.armguard.reward.RewardModels;
import io.armguard.reward.ScoreOutput;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** analyze candidates on tiny random models: one JSON line per ARM model; RAD is refused. */
class AnalyzeCandidatesCommandTest {
  @TempDir Path tmp;

  private int run(ByteArrayOutputStream out, String... args) {
    PrintStream old = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      return Main.commandLine().execute(args);
    } finally {
      System.setOut(old);
    }
  }

  @Test
  void reportsTheAgreementOfAnArmModelWithTheTeacher() throws Exception {
    GptConfig config = GptConfig.of(300, 64, 32, 2, 4);
    List<String> labels = List.of("toxicity", "insult");
    Path arm = tmp.resolve("arm");
    Path rad = tmp.resolve("rad");
    Path lm = tmp.resolve("lm");
    try (NDManager m = NDManager.newBaseManager();
        TextTokenizer tok = TextTokenizer.gpt2(43)) {
      for (RewardKind kind : RewardKind.values()) {
        RewardModels.random(
                config,
                new RewardModelInfo(
                    kind, labels, "toxicity", "AWAY_FROM_LABEL", "test", ScoreOutput.sigmoid(2)),
                tok,
                m,
                kind.ordinal() + 1)
            .save(kind == RewardKind.ARM ? arm : rad, SafetensorsDType.F32);
      }
      ModelDirectory.save(
          lm, GptBackbone.randomlyInitialized(config, m, 3), Map.of(), tok, SafetensorsDType.F32);
    }
    Path replies = tmp.resolve("replies");
    Files.createDirectories(replies);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      lines.add(
          "{\"id\":\"val-%d\",\"prompt\":\"hi\",\"reply\":\"sure, reply number %d\",\"toxicity\":0,\"categories\":[]}"
              .formatted(i, i));
    }
    Files.write(replies.resolve("batch-val.jsonl"), lines);
    String[] common = {
      "analyze",
      "candidates",
      "--teacher",
      rad.toString(),
      "--lm",
      lm.toString(),
      "--replies",
      replies.toString(),
      "--batches",
      "val", // the tiny set has no rsel
      "--k",
      "4",
      "--batch",
      "2"
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String[] args = concat(common, "--reward", arm.toString());
    assertEquals(0, run(out, args), out.toString(StandardCharsets.UTF_8));
    JsonObject o = JsonParser.parseString(out.toString(StandardCharsets.UTF_8)).getAsJsonObject();
    assertEquals(5, o.get("replies").getAsInt());
    assertEquals(10, o.get("candidate_sets").getAsInt(), o.toString()); // 2 prefixes per reply
    double rho = o.get("candidate_spearman").getAsDouble();
    assertTrue(rho >= -1 && rho <= 1, o.toString());
    assertTrue(o.get("teacher").getAsString().startsWith("rad@"), o.toString());

    assertNotEquals(
        0, run(new ByteArrayOutputStream(), concat(common, "--reward", rad.toString())));
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
