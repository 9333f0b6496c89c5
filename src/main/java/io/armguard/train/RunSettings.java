package io.armguard.train;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What every resumable training run is set with, whatever it trains: where it writes, the batch
 * size, the AdamW schedule (peak learning rate, warm-up, clip, weight decay), the seed, how often
 * it checkpoints, whether it discards an old checkpoint, and the command line its model card
 * records. Each trainer's options hold one, built through that trainer's builder (which extends
 * {@link Builder}). Immutable.
 */
public final class RunSettings {
  private final Path out;
  private final int batch;
  private final int steps;
  private final float learningRate;
  private final int warmupSteps;
  private final double clipNorm;
  private final float weightDecay;
  private final long seed;
  private final int checkpointEvery;
  private final boolean restart;
  private final String command;
  private final long interruptAfter;
  private final boolean progressBar;

  private RunSettings(Builder<?> b) {
    this.out = Objects.requireNonNull(b.out, "out");
    this.batch = b.batch;
    this.steps = b.steps;
    this.learningRate = b.learningRate;
    this.warmupSteps = b.warmupSteps;
    this.clipNorm = b.clipNorm;
    this.weightDecay = b.weightDecay;
    this.seed = b.seed;
    this.checkpointEvery = b.checkpointEvery;
    this.restart = b.restart;
    this.command = Objects.requireNonNull(b.command, "command");
    this.interruptAfter = b.interruptAfter;
    this.progressBar = b.progressBar;
    if (batch < 1 || steps < 1) {
      throw new IllegalArgumentException("batch and steps must be >= 1: " + batch + ", " + steps);
    }
  }

  /** The model directory the run writes (its checkpoint lives in {@code <out>/checkpoint}). */
  public Path out() {
    return out;
  }

  public int batch() {
    return batch;
  }

  public int steps() {
    return steps;
  }

  public float learningRate() {
    return learningRate;
  }

  public int warmupSteps() {
    return warmupSteps;
  }

  public double clipNorm() {
    return clipNorm;
  }

  public float weightDecay() {
    return weightDecay;
  }

  public long seed() {
    return seed;
  }

  /** Steps between checkpoints; 0 for none but the last. */
  public int checkpointEvery() {
    return checkpointEvery;
  }

  public boolean restart() {
    return restart;
  }

  /** The command line that reproduces the run, as recorded in the model card. */
  public String command() {
    return command;
  }

  /** Whether a progress bar is drawn on stderr (off by default: only where someone watches). */
  public boolean progressBar() {
    return progressBar;
  }

  /** Test hook: the step after which the run stops as if killed; none by default. */
  long interruptAfter() {
    return interruptAfter;
  }

  /**
   * Adds batch, steps and the optimizer schedule to a checkpoint identity, under the keys (and in
   * the order) every trainer has always written, so existing checkpoints keep resuming.
   */
  void addOptimizerIdentity(JsonObject identity) {
    identity.addProperty("batch", batch);
    identity.addProperty("steps", steps);
    identity.addProperty("learning_rate", learningRate);
    identity.addProperty("warmup_steps", warmupSteps);
    identity.addProperty("clip_norm", clipNorm);
    identity.addProperty("weight_decay", weightDecay);
  }

  /**
   * The setters every trainer's builder shares; {@code B} is the concrete builder, returned by each
   * setter so calls chain. Defaults are the subclass's (it sets them in its constructor).
   */
  public abstract static class Builder<B extends Builder<B>> {
    private Path out;
    private int batch = 32;
    private int steps = 600;
    private float learningRate = 3e-4f;
    private int warmupSteps = 50;
    private double clipNorm = 1.0;
    private float weightDecay = 0.01f;
    private long seed = 1234;
    private int checkpointEvery = 100;
    private boolean restart;
    private String command = "";
    private long interruptAfter = Long.MAX_VALUE;
    private boolean progressBar;

    protected Builder() {}

    /** This builder, typed as the subclass. */
    protected abstract B self();

    public B out(Path v) {
      out = v;
      return self();
    }

    public B batch(int v) {
      batch = v;
      return self();
    }

    public B steps(int v) {
      steps = v;
      return self();
    }

    public B learningRate(float v) {
      learningRate = v;
      return self();
    }

    public B warmupSteps(int v) {
      warmupSteps = v;
      return self();
    }

    public B clipNorm(double v) {
      clipNorm = v;
      return self();
    }

    public B weightDecay(float v) {
      weightDecay = v;
      return self();
    }

    public B seed(long v) {
      seed = v;
      return self();
    }

    public B checkpointEvery(int v) {
      checkpointEvery = v;
      return self();
    }

    public B restart(boolean v) {
      restart = v;
      return self();
    }

    public B command(String v) {
      command = v;
      return self();
    }

    /**
     * Draws a progress bar on stderr; for a terminal only, as its {@code \r} frames would clutter a
     * log. Not part of the checkpoint identity.
     */
    public B progressBar(boolean v) {
      progressBar = v;
      return self();
    }

    /**
     * Test hook: stop (as if killed, {@code InterruptedTraining}) right after this step's
     * checkpoint decision. Not part of the checkpoint identity.
     */
    B interruptAfter(long step) {
      interruptAfter = step;
      return self();
    }

    /** The shared settings as set so far; validates them. */
    protected RunSettings runSettings() {
      return new RunSettings(this);
    }
  }
}
