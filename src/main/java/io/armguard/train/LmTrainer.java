package io.armguard.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import io.armguard.data.PreparedData;
import io.armguard.model.Backbone;
import io.armguard.model.CausalLm;
import io.armguard.model.GptBackbone;
import io.armguard.model.GptConfig;
import io.armguard.model.ModelDirectory;
import io.armguard.model.SafetensorsDType;
import io.armguard.model.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * {@code train lm}: trains the base causal LM on {@link PreparedData#LM_TRAIN} with the causal LM
 * loss, AdamW, linear warm-up + cosine decay, global-norm gradient clipping; reports validation
 * perplexity on {@link PreparedData#LM_VALID}; checkpoints every {@code checkpointEvery} steps and
 * resumes from the last checkpoint; writes an HF-layout model directory (F16) with a card.
 *
 * <p>Batches are random windows of the packed token stream drawn from a generator seeded by (seed,
 * step), so a resumed run sees exactly the batches an uninterrupted one would.
 */
public final class LmTrainer {
  private final LmTrainingOptions o;
  private final Consumer<String> log;
  private long interruptAfter = Long.MAX_VALUE;

  public LmTrainer(LmTrainingOptions options, Consumer<String> log) {
    this.o = options;
    this.log = log;
  }

  /** Test hook: stop (as if killed) right after this step's checkpoint decision. */
  void interruptAfter(long step) {
    this.interruptAfter = step;
  }

  /** Trains and returns the final metrics. */
  public JsonObject train(NDManager root) throws IOException {
    long started = System.nanoTime();
    TextTokenizer tokenizer =
        o.initFrom() == null
            ? TextTokenizer.gpt2(o.merges())
            : TextTokenizer.load(o.initFrom().resolve(ModelDirectory.TOKENIZER));
    Path trainFile = trainingCorpus();
    log.accept("tokenising " + trainFile + " (cached after the first run)");
    TokenStream train = TokenStream.of(trainFile, tokenizer, n -> {});
    TokenStream valid = TokenStream.of(o.data().resolve(PreparedData.LM_VALID), tokenizer, n -> {});
    log.accept("train tokens " + train.size() + ", valid tokens " + valid.size());
    GptConfig config =
        GptConfig.of(tokenizer.vocabSize(), o.context(), o.dModel(), o.layers(), o.heads());

    Checkpoint checkpoint = new Checkpoint(o.out());
    if (o.restart()) {
      checkpoint.delete();
    }
    Backbone backbone;
    long startStep = 0;
    JsonObject history = new JsonObject();
    if (checkpoint.exists()) {
      JsonObject state = checkpoint.state();
      if (!state.get("options").toString().equals(o.identity().toString())) {
        throw new IllegalStateException(
            "checkpoint in "
                + o.out()
                + " was made with other settings "
                + state.get("options")
                + "; use --restart to discard it");
      }
      backbone = ModelDirectory.load(checkpoint.modelDir(), root).backbone();
      startStep = state.get("step").getAsLong();
      history = state.getAsJsonObject("history");
      log.accept("resuming from step " + startStep);
    } else if (o.initFrom() != null) {
      try (NDManager scratch = root.newSubManager()) {
        ModelDirectory.Loaded base = ModelDirectory.load(o.initFrom(), scratch);
        backbone = ModelDirectory.causalCopy(base.backbone(), o.layers(), root);
        if (base.tokenizer() != null) {
          base.tokenizer().close();
        }
      }
    } else {
      backbone = GptBackbone.randomlyInitialized(config, root, (int) o.seed());
    }
    if (o.initFrom() != null) {
      // the tied token embedding stays the pretrained one: the LM and ARM (whose E is frozen)
      // then share it with the imported encoder, and the LM learns to aim its hidden states at it
      backbone.namedParameters().get(backbone.tokenEmbeddingName()).freeze(true);
    }
    Map<String, Parameter> trainable = new LinkedHashMap<>();
    backbone
        .namedParameters()
        .forEach(
            (k, p) -> {
              if (p.requiresGradient()) {
                trainable.put(k, p);
              }
            });
    CausalLm lm = new CausalLm(backbone);
    AdamW optimizer = new AdamW(trainable, root, 0.9f, 0.95f, 1e-8f, o.weightDecay());
    if (startStep > 0) {
      optimizer.load(checkpoint.optimizerFile());
    }
    LearningRateSchedule schedule =
        new LearningRateSchedule(o.learningRate(), o.warmupSteps(), o.steps(), 0.1f);
    int window = o.context();
    long tokensPerStep = (long) o.batch() * window;
    double lastLoss = Double.NaN;
    double trainSeconds =
        history.has("train_seconds") ? history.get("train_seconds").getAsDouble() : 0;
    try (TrainingProgress progress = new TrainingProgress("train lm", o.steps(), startStep)) {
      for (long step = startStep + 1; step <= o.steps(); step++) {
        Random random = new Random(o.seed() * 1_000_003L + step);
        long[] ids = new long[o.batch() * window];
        for (int b = 0; b < o.batch(); b++) {
          int offset = random.nextInt(train.size() - window);
          System.arraycopy(train.window(offset, window), 0, ids, b * window, window);
        }
        float lr = schedule.at(step);
        try (NDManager m = root.newSubManager()) {
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = lmLoss(lm, m, ids, o.batch(), window, true);
            collector.backward(loss);
            lastLoss = loss.getFloat();
          }
          OptimizerStep.apply(trainable.values(), optimizer, lr, o.clipNorm());
        }
        progress.step(lastLoss, lr, tokensPerStep);
        boolean last = step == o.steps();
        if (o.evalEvery() > 0 && (step % o.evalEvery() == 0) && !last) {
          double ppl = perplexity(lm, root, valid, o.evalWindows(), window);
          history.addProperty("valid_ppl_step_" + step, round(ppl));
          log.accept(
              "step "
                  + step
                  + ": validation perplexity "
                  + round(ppl)
                  + " ("
                  + o.evalWindows()
                  + " windows)");
        }
        if ((o.checkpointEvery() > 0 && step % o.checkpointEvery() == 0) || last) {
          history.addProperty("train_seconds", trainSeconds + progress.elapsedSeconds());
          saveCheckpoint(checkpoint, backbone, tokenizer, optimizer, step, history);
        }
        if (step == interruptAfter) {
          throw new InterruptedTraining(step);
        }
      }
      trainSeconds += progress.elapsedSeconds();
      history.addProperty("tokens_per_second_last_session", round(progress.tokensPerSecond()));
    }
    double ppl = perplexity(lm, root, valid, Integer.MAX_VALUE, window);
    ModelDirectory.save(o.out(), backbone, java.util.Map.of(), tokenizer, SafetensorsDType.F16);
    checkpoint.delete(); // finished: nothing left to resume, keep the model directory small
    JsonObject facts = new JsonObject();
    facts.addProperty(
        "model",
        o.initFrom() == null
            ? "causal LM (GPT-2 architecture)"
            : "causal LM (first " + o.layers() + " layers of " + o.initFrom() + ", causal)");
    facts.add("settings", o.identity());
    facts.addProperty("parameters", parameterCount(backbone));
    facts.addProperty("data", trainFile + " (" + train.size() + " tokens)");
    facts.addProperty("command", o.command());
    facts.addProperty("steps", o.steps());
    facts.addProperty("tokens_seen", tokensPerStep * o.steps());
    facts.addProperty("final_train_loss", round(lastLoss));
    facts.addProperty("valid_perplexity", round(ppl));
    facts.addProperty("valid_tokens", valid.size());
    facts.addProperty("train_seconds", round(trainSeconds));
    facts.addProperty("wall_seconds_this_session", round((System.nanoTime() - started) / 1e9));
    facts.add("history", history);
    ModelCard.write(o.out(), "armguard base language model", description(), facts);
    log.accept("validation perplexity " + round(ppl));
    return facts;
  }

  private String description() {
    String corpus =
        " the conversational corpus of docs/data.md (nlp-corpus, fortunes, mailing-list ham, jokes)"
            + (o.chatReplies() == null
                ? ""
                : " plus the clean replies of the reply set's training batches ("
                    + o.chatReplies()
                    + ", prompt and reply, repeated "
                    + CHAT_REPEATS
                    + " times)");
    String what =
        o.initFrom() == null
            ? "A small GPT-2-architecture causal LM trained from scratch by `armguard train lm` on"
                + corpus
                + ". Tokenizer: GPT-2's byte-level BPE cut to the first "
                + o.merges()
                + " merges."
            : "A causal LM started from the first "
                + o.layers()
                + " layers of the pretrained encoder "
                + o.initFrom()
                + " (attention made causal, the LM head tied to its frozen word embeddings) and"
                + " trained by `armguard train lm --init-from` on"
                + corpus
                + ". Tokenizer: the encoder's (uncased WordPiece).";
    return what
        + " Weights F16. It can produce offensive text (the corpus contains some), which is what"
        + " the reward models steer away from.";
  }

  /** How often each clean reply of the reply set is repeated in the corpus. */
  static final int CHAT_REPEATS = 4;

  /**
   * The corpus file: the prepared LM training file, or (with {@code chatReplies}) that file plus
   * the clean training replies, written next to it as {@code train+replies.txt}.
   */
  private Path trainingCorpus() throws IOException {
    Path base = o.data().resolve(PreparedData.LM_TRAIN);
    if (o.chatReplies() == null) {
      return base;
    }
    io.armguard.data.ReplySet set =
        io.armguard.data.ReplySet.load(o.chatReplies()).without(java.util.Set.of("val", "test"));
    java.util.List<String> lines = new java.util.ArrayList<>(PreparedData.readLines(base));
    for (int r = 0; r < CHAT_REPEATS; r++) {
      for (io.armguard.data.ReplyItem item : set.items()) {
        if (!item.toxic()) {
          lines.add((item.prompt() + " " + item.reply()).strip());
        }
      }
    }
    java.util.Collections.shuffle(lines, new Random(o.seed()));
    Path out = base.resolveSibling("train+replies.txt");
    java.util.List<String> old =
        java.nio.file.Files.exists(out) ? PreparedData.readLines(out) : java.util.List.of();
    if (!old.equals(lines)) {
      PreparedData.writeLines(out, lines);
    }
    return out;
  }

  /** Mean next-token loss of a batch of windows (all tokens real). */
  static NDArray lmLoss(
      CausalLm lm, NDManager m, long[] ids, int batch, int window, boolean training) {
    NDArray x = m.create(ids, new Shape(batch, window));
    NDArray mask = m.ones(new Shape(batch, window), DataType.INT64);
    NDArray positions = m.arange(0, window, 1, DataType.INT64).expandDims(0).repeat(0, batch);
    NDArray h = lm.backbone().hidden(x, positions, mask, null, training);
    return TrainingLosses.causalLm(lm.logits(h), x, mask);
  }

  /**
   * exp(mean next-token loss) over up to {@code maxWindows} consecutive windows of {@code window}.
   */
  static double perplexity(
      CausalLm lm, NDManager root, TokenStream stream, int maxWindows, int window) {
    int windows = Math.min(maxWindows, stream.size() / window);
    double totalLoss = 0;
    long predicted = 0;
    int batch = 16;
    for (int start = 0; start < windows; start += batch) {
      int n = Math.min(batch, windows - start);
      long[] ids = new long[n * window];
      for (int b = 0; b < n; b++) {
        System.arraycopy(stream.window((start + b) * window, window), 0, ids, b * window, window);
      }
      try (NDManager m = root.newSubManager()) {
        totalLoss += lmLoss(lm, m, ids, n, window, false).getFloat() * (double) n * (window - 1);
        predicted += (long) n * (window - 1);
      }
    }
    return Math.exp(totalLoss / Math.max(1, predicted));
  }

  private void saveCheckpoint(
      Checkpoint checkpoint,
      Backbone backbone,
      TextTokenizer tokenizer,
      AdamW optimizer,
      long step,
      JsonObject history)
      throws IOException {
    JsonObject state = new JsonObject();
    state.addProperty("step", step);
    state.add("options", o.identity());
    state.add("history", history);
    checkpoint.save(
        state,
        (modelDir, optimizerFile) -> {
          ModelDirectory.save(
              modelDir, backbone, java.util.Map.of(), tokenizer, SafetensorsDType.F32);
          optimizer.save(optimizerFile);
        });
  }

  static long parameterCount(Backbone backbone) {
    return backbone.namedParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
  }

  static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
