package io.armguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** No command writes into models/ or another committed file without --force. */
class OutputGuardTest {

  private static final Set<String> OUTPUT_OPTIONS =
      Set.of("--out", "--output", "--plot", "--spectrum-plot");

  /** Ignored by git and read by every training command's --data default: not a committed file. */
  private static final Set<String> IGNORED_WORK_DIRS = Set.of("work-data");

  @TempDir Path tmp;

  @Test
  void everyDefaultOutputLiesInTheRunDirectory() {
    List<String> checked = new ArrayList<>();
    walk(Main.commandLine(), checked);
    assertTrue(checked.size() >= 8, "output options found: " + checked);
  }

  private static void walk(CommandLine cmd, List<String> checked) {
    for (OptionSpec o : cmd.getCommandSpec().options()) {
      String name = o.longestName();
      String dflt = defaultOf(o);
      if (!OUTPUT_OPTIONS.contains(name) || dflt == null) {
        continue;
      }
      String where = cmd.getCommandSpec().qualifiedName() + " " + name;
      checked.add(where);
      assertTrue(
          dflt.startsWith(OutputGuard.RUN_DIR + "/") || IGNORED_WORK_DIRS.contains(dflt),
          where + " defaults to " + dflt);
    }
    cmd.getSubcommands().values().forEach(sub -> walk(sub, checked));
  }

  /**
   * The annotation's default, else the field's initial value (a mixin with per-command defaults,
   * such as {@link ModelOutputOption}, sets it in its constructor); null when there is neither.
   */
  private static String defaultOf(OptionSpec o) {
    if (o.defaultValue() != null) {
      return o.defaultValue();
    }
    return o.initialValue() == null ? null : o.initialValue().toString();
  }

  @Test
  void anExistingModelIsNotOverwrittenWithoutForce() throws Exception {
    Path model = Files.createDirectories(tmp.resolve("models/lm"));
    Files.writeString(model.resolve("config.json"), "{\"shipped\": true}");
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine().setErr(new PrintWriter(err));
    int code = cli.execute("model", "init", "--out", model.toString(), "--vocab-merges", "10");
    assertEquals(1, code);
    assertTrue(
        err.toString().contains("refusing to overwrite the model in " + model), err.toString());
    assertTrue(err.toString().contains("--force"), err.toString());
    assertEquals("{\"shipped\": true}", Files.readString(model.resolve("config.json")));
  }

  @Test
  void forceReplacesAModelAndACheckpointAloneIsResumable() throws Exception {
    Path model = Files.createDirectories(tmp.resolve("m"));
    Files.writeString(model.resolve("config.json"), "{}");
    assertEquals(model, OutputGuard.modelDirectory(model, true));
    Path resumable = Files.createDirectories(tmp.resolve("r/checkpoint"));
    assertEquals(resumable.getParent(), OutputGuard.modelDirectory(resumable.getParent(), false));
    assertEquals(tmp.resolve("new"), OutputGuard.modelDirectory(tmp.resolve("new"), false));
  }

  @Test
  void anExistingFileOutsideTheRunDirectoryNeedsForce() throws Exception {
    Path committed = tmp.resolve("topologies/topology.txt");
    Files.createDirectories(committed.getParent());
    Files.writeString(committed, "committed");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> OutputGuard.file(committed, false));
    assertTrue(e.getMessage().contains("--force"), e.getMessage());
    int code = Main.commandLine().execute("topology", "--out", committed.toString());
    assertEquals(1, code);
    assertEquals("committed", Files.readString(committed));
    assertEquals(
        0, Main.commandLine().execute("topology", "--out", committed.toString(), "--force"));
    assertNotEquals("committed", Files.readString(committed));
    assertFalse(Files.readString(committed).isEmpty());
  }
}
