package io.armguard.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.junit.jupiter.api.Test;

class TerminalProgressTest {

  @Test
  void terminalsAreTtyAndPtyDevicesAndNothingElse() {
    assertTrue(TerminalProgress.isTerminalDevice("/dev/pts/3"));
    assertTrue(TerminalProgress.isTerminalDevice("/dev/tty1"));
    assertFalse(TerminalProgress.isTerminalDevice("/tmp/run.log"));
    assertFalse(TerminalProgress.isTerminalDevice("pipe:[123456]"));
    assertFalse(TerminalProgress.isTerminalDevice("/dev/null"));
  }

  @Test
  void underSurefireStderrIsNoTerminalAndABarWritesNothing() {
    // surefire's forked JVM writes stderr into a pipe: exactly the redirected case
    assertFalse(TerminalProgress.onTerminal());
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try (ProgressBar bar =
          TerminalProgress.quietOffTerminal(
                  new ProgressBarBuilder()
                      .setTaskName("t")
                      .setInitialMax(3)
                      .setUpdateIntervalMillis(1))
              .build()) {
        bar.stepBy(3);
      }
    } finally {
      System.setErr(stderr);
    }
    assertFalse(captured.toString(StandardCharsets.UTF_8).contains("\r"), captured.toString());
    assertTrue(captured.size() == 0, "nothing drawn: " + captured);
  }
}
