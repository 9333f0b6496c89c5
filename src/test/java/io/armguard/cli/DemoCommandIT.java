package io.armguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code armguard demo} in-process, end to end: broker, registry, models, topology, outputs. */
class DemoCommandIT {

  @TempDir Path tmp;

  @Test
  void demoAnswersEveryRequestOnceAndDeadLettersTheUndecodableRecord() throws Exception {
    // Model dirs that do not exist: the demo falls back to small random models (and says so).
    Path config = tmp.resolve("demo.properties");
    Files.writeString(
        config,
        "model.lm.dir=" + tmp.resolve("none-lm") + "\nmodel.reward.dir=" + tmp.resolve("none-rm"));
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = Main.commandLine().execute("demo", "--config", config.toString(), "--timeout", "PT3M");
    } finally {
      System.setOut(stdout);
    }
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
    int n = SampleRequests.all().size();
    assertEquals(0, code, String.join("\n", lines));
    assertEquals(
        "{\"demo\":\"done\",\"requests\":"
            + n
            + ",\"completions\":"
            + n
            + ",\"audits\":"
            + n
            + ",\"dead_letters\":1,\"streams\":2,\"streams_ended\":2}",
        lines.get(lines.size() - 1));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("[bad-empty-prompt] GENERATE REJECTED")));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("[mod-clean] MODERATE ")));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("[dead letter] ")));
    // the streaming part: each stream's chunks as released, its final one, what the user saw
    assertTrue(
        lines.stream().anyMatch(l -> l.startsWith("[stream-clean] chatbot (last token sent at +")));
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.startsWith("[stream-turns-toxic] chatbot (last token sent at +")));
    assertEquals(
        2, lines.stream().filter(l -> l.matches(" +\\+ *[0-9.]+ s  #\\d+ final .*")).count());
    assertEquals(2, lines.stream().filter(l -> l.startsWith("    user saw: \"")).count());
    // every answer has its audit line, and the MODERATE requests appear again twice: in
    // report-only mode and straight to the redact fallback
    int again = 2 * SampleRequests.moderations().size();
    assertEquals(n + again, lines.stream().filter(l -> l.startsWith("    audit: ")).count());
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.startsWith(
                        "-- the MODERATE requests again with moderation.mode=report-only")));
    assertTrue(
        lines.stream()
            .anyMatch(
                l -> l.startsWith("-- the MODERATE requests again with rewrite.max.attempts=0")));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("[mod-civil-negative] MODERATE ALLOWED")));
  }
}
