package io.armguard.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Progress bars only where someone watches: on a terminal the bar is drawn on stderr as usual; with
 * stderr redirected (a log file, CI, {@code 2>&1 | tee}) nothing is drawn, so logs hold no {@code
 * \r} frames and a JSON line on stdout is never glued to one. Stateless.
 */
final class TerminalProgress {

  /** Where Linux shows what a file descriptor is; absent elsewhere. */
  private static final Path STDERR_LINK = Path.of("/proc/self/fd/2");

  private TerminalProgress() {}

  /**
   * Whether stderr, where the bars are drawn, is a terminal. On Linux from what fd 2 points at
   * ({@code System.console()} only looks at stdin and stdout, so {@code 2> log} would still get
   * frames); elsewhere from {@code System.console()}.
   */
  static boolean onTerminal() {
    if (Files.isSymbolicLink(STDERR_LINK)) {
      try {
        return isTerminalDevice(Files.readSymbolicLink(STDERR_LINK).toString());
      } catch (IOException | UnsupportedOperationException e) {
        // fall through to the JVM's own view
      }
    }
    return System.console() != null;
  }

  /** Whether {@code target} (what a file descriptor links to) is a terminal device. */
  static boolean isTerminalDevice(String target) {
    return target.startsWith("/dev/pts/")
        || target.startsWith("/dev/tty")
        || target.equals("/dev/console");
  }

  /** {@code builder} as it is on a terminal (it draws on stderr); drawing nothing otherwise. */
  static ProgressBarBuilder quietOffTerminal(ProgressBarBuilder builder) {
    return onTerminal()
        ? builder
        : builder.setConsumer(new DelegatingProgressBarConsumer(frame -> {}));
  }
}
