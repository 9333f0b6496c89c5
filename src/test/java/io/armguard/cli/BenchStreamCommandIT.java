package io.armguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.armguard.bench.StreamWorkload;
import io.armguard.streams.ReplyChunker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code armguard bench stream} in-process on the shipped models (random ones have too short a
 * context for the workload's replies, which the command refuses upfront): one JSON line per
 * hold-back, every stream ended, every token released (threshold 1: nothing is flagged), the
 * baselines' positions in their defined relation.
 */
class BenchStreamCommandIT {

  @TempDir Path tmp;

  @Test
  void refusesRepliesThatDoNotFitTheModel() throws Exception {
    Path config = tmp.resolve("random.properties");
    Files.writeString(
        config,
        "model.lm.dir=" + tmp.resolve("none-lm") + "\nmodel.reward.dir=" + tmp.resolve("none-rm"));
    PrintStream stderr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code =
          Main.commandLine()
              .execute("bench", "stream", "--config", config.toString(), "--streams", "2");
    } finally {
      System.setErr(stderr);
    }
    assertEquals(1, code);
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("more than the model's context of"),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void printsOneLinePerHoldBackWithEveryTokenReleased() throws Exception {
    Path config = tmp.resolve("bench.properties");
    Files.writeString(
        config,
        "model.lm.dir="
            + Path.of("models/lm").toAbsolutePath()
            + "\nmodel.reward.dir="
            + Path.of("models/arm").toAbsolutePath()
            + "\nmodel.rad.dir=\ntoxicity.threshold=1.0\n");
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code =
          Main.commandLine()
              .execute(
                  "bench",
                  "stream",
                  "--config",
                  config.toString(),
                  "--streams",
                  "3",
                  "--rate",
                  "100",
                  "--holdback",
                  "0,2",
                  "--recheck-every",
                  "20",
                  "--json");
    } finally {
      System.setOut(stdout);
    }
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(0, code, String.join("\n", lines));
    assertEquals(2, lines.size(), String.join("\n", lines));
    long tokens =
        StreamWorkload.replies(3).stream()
            .mapToLong(r -> ReplyChunker.tokens(r.text()).size())
            .sum();
    for (int i = 0; i < 2; i++) {
      JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
      assertEquals("stream", o.get("bench").getAsString());
      assertEquals(i == 0 ? 0 : 2, o.get("holdback_tokens").getAsInt());
      assertEquals(3, o.get("streams_complete").getAsInt());
      assertEquals(tokens, o.get("reply_tokens").getAsLong());
      assertEquals(tokens, o.get("released_tokens").getAsLong(), "threshold 1: all released");
      double p50 = o.get("latency_p50_ms").getAsDouble();
      assertTrue(p50 > 0 && p50 <= o.get("latency_p99_ms").getAsDouble(), lines.get(i));
      assertEquals(
          1.0, o.getAsJsonObject("whole_reply").get("positions_per_position").getAsDouble());
      assertTrue(
          o.getAsJsonObject("recheck_every_20").get("positions_per_position").getAsDouble() > 1.0);
      assertTrue(o.getAsJsonObject("streaming").get("engine_calls").getAsLong() > 0);
    }
  }
}
