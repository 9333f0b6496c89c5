package io.armguard.cli;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Progress bars only where someone watches: on a terminal the bar is drawn as usual; with stderr
 * redirected (a log file, CI) nothing is drawn, so logs hold no {@code \r} frames and a JSON line
 * is never glued to one. Stateless.
 */
final class TerminalProgress {

  private TerminalProgress() {}

  /** Whether the process has a terminal (the JVM's console; null when redirected). */
  static boolean onTerminal() {
    return System.console() != null;
  }

  /** {@code builder}, drawing nothing when not on a terminal. */
  static ProgressBarBuilder quietOffTerminal(ProgressBarBuilder builder) {
    return onTerminal() ? builder : builder.setConsumer(new DelegatingProgressBarConsumer(s -> {}));
  }
}
