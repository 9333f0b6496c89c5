package io.armguard.train;

import java.util.Locale;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr for a training run: step / total with ETA, plus the smoothed loss,
 * learning rate and tokens per second (measured over this process's steps, so a resumed run does
 * not count the steps it skipped). When not drawn, it still measures.
 */
public final class TrainingProgress implements AutoCloseable {
  private final ProgressBar bar;
  private final long startNanos = System.nanoTime();
  private long tokens;
  private double smoothedLoss = Double.NaN;

  /**
   * @param draw whether to draw the bar on stderr (a terminal: yes; a log file: no, its {@code \r}
   *     frames would clutter it)
   */
  public TrainingProgress(String task, long totalSteps, long startStep, boolean draw) {
    ProgressBarBuilder builder = new ProgressBarBuilder();
    if (!draw) {
      builder.setConsumer(new DelegatingProgressBarConsumer(frame -> {}));
    }
    bar =
        builder
            .setTaskName(task)
            .setInitialMax(totalSteps)
            .startsFrom(startStep, java.time.Duration.ZERO)
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" steps", 1)
            .continuousUpdate()
            .build();
  }

  /** Records a finished step. */
  public void step(double loss, float lr, long stepTokens) {
    tokens += stepTokens;
    smoothedLoss = Double.isNaN(smoothedLoss) ? loss : 0.95 * smoothedLoss + 0.05 * loss;
    bar.setExtraMessage(
        String.format(
            Locale.ROOT, "loss %.4f lr %.2e %.0f tok/s", smoothedLoss, lr, tokensPerSecond()));
    bar.step();
  }

  public double smoothedLoss() {
    return smoothedLoss;
  }

  public double tokensPerSecond() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    return seconds > 0 ? tokens / seconds : 0;
  }

  public double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  @Override
  public void close() {
    bar.close();
  }
}
