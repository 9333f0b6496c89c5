package io.armguard.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The training loop every trainer shares; the trainer supplies only what one step computes.
 *
 * <p>It owns: discarding the checkpoint on {@code restart}; refusing a checkpoint made with other
 * settings (the trainer's identity JSON); resuming the step, the history and AdamW's moments;
 * linear warm-up + cosine decay; the gradient collector, global-norm clipping and the AdamW update;
 * the progress bar; a checkpoint every {@code checkpointEvery} steps and at the last one; the test
 * hook that stops a run as if killed; the timings in the model card. A resumed run ends with the
 * weights of an uninterrupted one as long as the step function depends on (seed, step) only.
 *
 * <p>Lifecycle: {@link #resume()} once (before the model is built, to learn whether to load it from
 * the checkpoint), then {@link #run} once, then the trainer writes its final model and calls {@link
 * #finish()}. One instance per run, used from one thread.
 */
final class ResumableTraining {
  /** History key: steps whose update was skipped for a non-finite loss or gradient norm. */
  static final String SKIPPED_STEPS = "skipped_steps";

  /** A run gives up after this many non-finite steps in a row (it has diverged). */
  static final int MAX_BAD_STEPS_IN_A_ROW = 20;

  /** Stored with every checkpoint; read back on resume. */
  private static final String STEP = "step";

  private static final String OPTIONS = "options";
  private static final String HISTORY = "history";
  private static final String TRAIN_SECONDS = "train_seconds";

  private final String task;
  private final RunSettings run;
  private final JsonObject identity;
  private final Consumer<String> log;
  private final Checkpoint checkpoint;
  private final long startedNanos = System.nanoTime();
  private long startStep;
  private JsonObject history = new JsonObject();

  /**
   * @param task the progress bar's name, e.g. {@code train lm}
   * @param identity the settings a checkpoint must have been made with to be resumed
   */
  ResumableTraining(String task, RunSettings run, JsonObject identity, Consumer<String> log) {
    this.task = task;
    this.run = run;
    this.identity = identity;
    this.log = log;
    this.checkpoint = new Checkpoint(run.out());
  }

  /**
   * Discards the checkpoint when restarting; otherwise, when one exists, checks its settings and
   * takes its step and history.
   *
   * @return the checkpoint's model directory (F32) to load the model from; empty for a new run
   * @throws IllegalStateException when the checkpoint was made with other settings
   */
  Optional<Path> resume() throws IOException {
    if (run.restart()) {
      checkpoint.delete();
    }
    if (!checkpoint.exists()) {
      return Optional.empty();
    }
    JsonObject state = checkpoint.state();
    if (!state.get(OPTIONS).toString().equals(identity.toString())) {
      throw new IllegalStateException(
          "checkpoint in "
              + run.out()
              + " was made with other settings "
              + state.get(OPTIONS)
              + "; use --restart to discard it");
    }
    startStep = state.get(STEP).getAsLong();
    history = state.getAsJsonObject(HISTORY);
    log.accept("resuming from step " + startStep);
    return Optional.of(checkpoint.modelDir());
  }

  /**
   * Trains steps {@code startStep + 1 .. steps}.
   *
   * @param parameters the model's parameters; those that require a gradient are trained
   * @param root the manager the optimizer's moments live in; each step runs in a sub-manager
   * @param step what one step computes
   * @param model writes the model (F32) into a checkpoint's model directory
   * @param afterStep called after every step, before the checkpoint decision (e.g. a periodic
   *     validation that adds to the history)
   */
  Outcome run(
      Map<String, Parameter> parameters,
      NDManager root,
      StepFunction step,
      ModelWriter model,
      StepListener afterStep)
      throws IOException {
    Map<String, Parameter> trainable = Freezing.trainable(parameters);
    AdamW optimizer = new AdamW(trainable, root, 0.9f, 0.95f, 1e-8f, run.weightDecay());
    if (startStep > 0) {
      optimizer.load(checkpoint.optimizerFile());
    }
    LearningRateSchedule schedule =
        new LearningRateSchedule(run.learningRate(), run.warmupSteps(), run.steps(), 0.1f);
    double lastLoss = Double.NaN;
    int skipped = history.has(SKIPPED_STEPS) ? history.get(SKIPPED_STEPS).getAsInt() : 0;
    int badInARow = 0;
    double trainSeconds = history.has(TRAIN_SECONDS) ? history.get(TRAIN_SECONDS).getAsDouble() : 0;
    try (TrainingProgress progress =
        new TrainingProgress(task, run.steps(), startStep, run.progressBar())) {
      for (long s = startStep + 1; s <= run.steps(); s++) {
        float lr = schedule.at(s);
        long tokens;
        try (NDManager m = root.newSubManager()) {
          PreparedStep prepared = step.prepare(s, m);
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = prepared.loss().get();
            collector.backward(loss);
            lastLoss = loss.getFloat();
          }
          tokens = prepared.tokens();
          double norm = OptimizerStep.apply(trainable.values(), optimizer, lr, run.clipNorm());
          if (!Double.isFinite(norm) || !Double.isFinite(lastLoss)) {
            skipped++;
            badInARow++;
            history.addProperty(SKIPPED_STEPS, skipped);
            if (badInARow >= MAX_BAD_STEPS_IN_A_ROW) {
              throw new IllegalStateException(
                  task
                      + " diverged: "
                      + badInARow
                      + " steps in a row with a non-finite loss or gradient (last at step "
                      + s
                      + "); lower --lr or raise --warmup and use --restart");
            }
          } else {
            badInARow = 0;
          }
        }
        progress.step(lastLoss, lr, tokens);
        afterStep.after(s, s == run.steps(), history);
        if ((run.checkpointEvery() > 0 && s % run.checkpointEvery() == 0) || s == run.steps()) {
          history.addProperty(TRAIN_SECONDS, trainSeconds + progress.elapsedSeconds());
          history.addProperty("step_" + s + "_loss", CardNumbers.round(progress.smoothedLoss()));
          save(s, model, optimizer);
        }
        if (s == run.interruptAfter()) {
          throw new InterruptedTraining(s);
        }
      }
      trainSeconds += progress.elapsedSeconds();
      history.addProperty(
          "tokens_per_second_last_session", CardNumbers.round(progress.tokensPerSecond()));
    }
    return new Outcome(lastLoss, trainSeconds, history, parameterCount(trainable.values()));
  }

  private void save(long step, ModelWriter model, AdamW optimizer) throws IOException {
    JsonObject state = new JsonObject();
    state.addProperty(STEP, step);
    state.add(OPTIONS, identity);
    state.add(HISTORY, history);
    checkpoint.save(
        state,
        (modelDir, optimizerFile) -> {
          model.write(modelDir);
          optimizer.save(optimizerFile);
        });
  }

  /** Deletes the checkpoint once the final model is written: nothing is left to resume. */
  void finish() throws IOException {
    checkpoint.delete();
  }

  /** Adds {@code command}, {@code steps} and {@code final_train_loss} to a model card's facts. */
  void addRunFacts(JsonObject facts, Outcome outcome) {
    facts.addProperty("command", run.command());
    facts.addProperty("steps", run.steps());
    facts.addProperty("final_train_loss", CardNumbers.round(outcome.finalTrainLoss()));
  }

  /**
   * Adds {@code train_seconds} (all sessions), {@code wall_seconds_this_session} and the history,
   * the last entries of every model card.
   */
  void addTimingsAndHistory(JsonObject facts, Outcome outcome) {
    facts.addProperty("train_seconds", CardNumbers.round(outcome.trainSeconds()));
    facts.addProperty(
        "wall_seconds_this_session", CardNumbers.round((System.nanoTime() - startedNanos) / 1e9));
    facts.add("history", outcome.history());
  }

  /** Number of scalars in {@code parameters}. */
  static long parameterCount(Collection<Parameter> parameters) {
    return parameters.stream().mapToLong(p -> p.getArray().size()).sum();
  }

  /** What one step computes, given its number (1-based) and a manager closed after the step. */
  @FunctionalInterface
  interface StepFunction {
    /**
     * Prepares the step's batch; work here is not recorded for the backward pass (inputs, a frozen
     * teacher's scores). The returned loss is computed inside the gradient collector.
     */
    PreparedStep prepare(long step, NDManager m);
  }

  /**
   * A prepared step.
   *
   * @param loss computes the scalar loss, inside the gradient collector
   * @param tokens real (non-padding) tokens in the batch, for the tokens/s figure
   */
  record PreparedStep(Supplier<NDArray> loss, long tokens) {

    /**
     * A step over a padded batch whose attention mask is element 1 ({@link LabelledBatches}, {@link
     * ReplyBatches}): its tokens are the mask's real ones.
     */
    static PreparedStep ofMaskedBatch(NDList batch, Supplier<NDArray> loss) {
      return new PreparedStep(loss, LabelledBatches.realTokens(batch.get(1)));
    }
  }

  /** Writes the model into a checkpoint's model directory. */
  @FunctionalInterface
  interface ModelWriter {
    void write(Path modelDir) throws IOException;
  }

  /** Called after each step, before the checkpoint decision. */
  @FunctionalInterface
  interface StepListener {
    StepListener NONE = (step, last, history) -> {};

    /** {@code history} is saved with the next checkpoint and ends in the model card. */
    void after(long step, boolean last, JsonObject history);
  }

  /**
   * How the run ended.
   *
   * @param finalTrainLoss the last step's loss
   * @param trainSeconds training time over all sessions of the run
   * @param history per-step figures (validation checks, losses at checkpoints, timings)
   * @param trainableParameters scalars the optimizer updated
   */
  record Outcome(
      double finalTrainLoss, double trainSeconds, JsonObject history, long trainableParameters) {}
}
