package io.armguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code armguard produce}'s checks that need no cluster: options, and a file of bad lines. */
class ProduceCommandTest {

  @TempDir Path tmp;

  /** Exit code and stderr of one in-process run (stdout must stay empty in these cases). */
  private record Run(int code, String out, String err) {}

  private static Run produce(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      var cmd = Main.commandLine();
      cmd.setErr(new java.io.PrintWriter(System.err, true));
      // nothing listens there: these runs must fail before they would need a broker
      java.util.List<String> all =
          new java.util.ArrayList<>(java.util.List.of("produce", "-b", "localhost:1"));
      if (!java.util.List.of(args).contains("-r")) {
        all.addAll(java.util.List.of("-r", "http://localhost:1"));
      }
      all.addAll(java.util.List.of(args));
      int code = cmd.execute(all.toArray(String[]::new));
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  @Test
  void exactlyOneSourceOfRequests() {
    Run none = produce();
    assertEquals(2, none.code());
    assertTrue(
        none.err()
            .contains("give exactly one of --generate PROMPT, --moderate, --stream or --input"));
    Run two = produce("--generate", "a", "--input", "f.jsonl");
    assertEquals(2, two.code());
  }

  @Test
  void flagsGoWithTheirMode() {
    assertTrue(produce("--moderate", "--prompt", "p").err().contains("--moderate needs --prompt"));
    assertTrue(
        produce("--generate", "g", "--reply", "r").err().contains("go with --moderate"), "reply");
    assertTrue(
        produce("--input", "f.jsonl", "--id", "x").err().contains("give them per line"), "id");
    assertTrue(produce("--stream", "--prompt", "p").err().contains("--stream needs --reply"));
    assertTrue(
        produce("--stream", "--reply", "r", "--seed", "3")
            .err()
            .contains("do not go with --stream"));
    assertTrue(
        produce("--stream", "--reply", "r", "--rate", "0").err().contains("--rate must be > 0"));
    assertTrue(
        produce("--moderate", "--prompt", "p", "--reply", "r", "--holdback-tokens", "4")
            .err()
            .contains("go with --stream"));
  }

  @Test
  void everyBadLineIsReportedWithItsPlaceAndTheRunFails() throws Exception {
    Path input = tmp.resolve("bad.jsonl");
    Files.writeString(input, "{\"prompt\": 3}\n\n[\"not an object\"]\n");
    Run run = produce("--input", input.toString());
    assertEquals(1, run.code(), run.err());
    assertTrue(run.err().contains(input + ":1: \"prompt\" must be a string"), run.err());
    assertTrue(run.err().contains(input + ":3: not a JSON object"), run.err());
    assertTrue(run.err().contains("produce: 0 written to armguard.requests, 2 bad lines skipped"));
    assertFalse(run.err().contains("Exception"), "no stack trace: " + run.err());
    assertEquals("", run.out());
  }

  @Test
  void anInMemoryRegistryIsRefused() {
    // the default schema.registry.url: the service in another process could not read the records
    Run run = produce("--generate", "hi", "-r", "mock://armguard");
    assertEquals(1, run.code());
    assertTrue(
        run.err().contains("schema.registry.url is mock://armguard, an in-memory registry"),
        run.err());
  }

  @Test
  void aMissingInputFileIsOneLine() {
    Run run = produce("--input", tmp.resolve("none.jsonl").toString());
    assertEquals(1, run.code());
    assertTrue(run.err().contains("no such file: " + tmp.resolve("none.jsonl")), run.err());
  }
}
