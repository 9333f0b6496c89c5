package io.armguard.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import io.armguard.data.PreparedData;
import io.armguard.model.Backbone;
import io.armguard.model.CausalLm;
import io.armguard.model.ModelDirectory;
import io.armguard.model.SafetensorsDType;
import io.armguard.model.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
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

  public LmTrainer(LmTrainingOptions options, Consumer<String> log) {
    this.o = options;
    this.log = log;
  }

  /** Trains and returns the final metrics. */
  public JsonObject train(NDManager root) throws IOException {
    ResumableTraining training = new ResumableTraining("train lm", o.run, o.identity(), log);
    Path tokenizerDir = o.initFrom != null ? o.initFrom : o.tokenizerFrom;
    TextTokenizer tokenizer =
        tokenizerDir == null
            ? o.shape.tokenizer()
            : TextTokenizer.load(tokenizerDir.resolve(ModelDirectory.TOKENIZER));
    Path trainFile = trainingCorpus();
    log.accept("tokenising " + trainFile + " (cached after the first run)");
    TokenStream train = TokenStream.of(trainFile, tokenizer, n -> {});
    TokenStream valid = TokenStream.of(o.data.resolve(PreparedData.LM_VALID), tokenizer, n -> {});
    log.accept("train tokens " + train.size() + ", valid tokens " + valid.size());
    Optional<Path> resumed = training.resume();
    Backbone backbone =
        resumed.isPresent()
            ? ModelDirectory.load(resumed.get(), root).backbone()
            : newBackbone(tokenizer, root);
    if (o.initFrom != null) {
      // the tied token embedding stays the pretrained one: the LM and ARM (whose E is frozen)
      // then share it with the imported encoder, and the LM learns to aim its hidden states at it
      backbone.namedParameters().get(backbone.tokenEmbeddingName()).freeze(true);
    }
    CausalLm lm = new CausalLm(backbone);
    int window = o.shape.context();
    int batch = o.run.batch();
    ResumableTraining.Outcome outcome =
        training.run(
            backbone.namedParameters(),
            root,
            (step, m) -> {
              long[] ids = randomWindows(train, step, batch, window);
              return new ResumableTraining.PreparedStep(
                  () -> lmLoss(lm, m, ids, batch, window, true), (long) batch * window);
            },
            dir -> ModelDirectory.save(dir, backbone, Map.of(), tokenizer, SafetensorsDType.F32),
            (step, last, history) -> {
              if (o.evalEvery > 0 && step % o.evalEvery == 0 && !last) {
                double ppl = perplexity(lm, root, valid, o.evalWindows, window);
                history.addProperty("valid_ppl_step_" + step, CardNumbers.round(ppl));
                log.accept(
                    "step "
                        + step
                        + ": validation perplexity "
                        + CardNumbers.round(ppl)
                        + " ("
                        + o.evalWindows
                        + " windows)");
              }
            });
    double ppl = perplexity(lm, root, valid, Integer.MAX_VALUE, window);
    ModelDirectory.save(o.run.out(), backbone, Map.of(), tokenizer, SafetensorsDType.F16);
    training.finish(); // nothing left to resume, keep the model directory small
    JsonObject facts = new JsonObject();
    facts.addProperty(
        "model",
        o.initFrom == null
            ? "causal LM (GPT-2 architecture"
                + (o.tokenizerFrom == null ? "" : ", tokenizer of " + o.tokenizerFrom)
                + ")"
            : "causal LM (first " + o.shape.layers() + " layers of " + o.initFrom + ", causal)");
    facts.add("settings", o.identity());
    facts.addProperty(
        "parameters", ResumableTraining.parameterCount(backbone.namedParameters().values()));
    facts.addProperty("data", trainFile + " (" + train.size() + " tokens)");
    training.addRunFacts(facts, outcome);
    facts.addProperty("tokens_seen", (long) batch * window * o.run.steps());
    facts.addProperty("valid_perplexity", CardNumbers.round(ppl));
    facts.addProperty("valid_tokens", valid.size());
    training.addTimingsAndHistory(facts, outcome);
    ModelCard.write(o.run.out(), "armguard base language model", description(), facts);
    log.accept("validation perplexity " + CardNumbers.round(ppl));
    return facts;
  }

  private Backbone newBackbone(TextTokenizer tokenizer, NDManager root) throws IOException {
    if (o.initFrom == null) {
      return o.shape.randomBackbone(tokenizer, root, o.run.seed());
    }
    return PretrainedBackbone.copyFrom(
        o.initFrom,
        root,
        (base, ownTokenizer) -> {
          ownTokenizer.close(); // the LM keeps the tokenizer it was given
          return ModelDirectory.causalCopy(base, o.shape.layers(), root);
        });
  }

  /**
   * The step's batch: random windows of the packed token stream from a generator seeded by (seed,
   * step), so a resumed run sees exactly the batches an uninterrupted one would.
   */
  private long[] randomWindows(TokenStream train, long step, int batch, int window) {
    Random random = new Random(o.run.seed() * 1_000_003L + step);
    long[] ids = new long[batch * window];
    for (int b = 0; b < batch; b++) {
      int offset = random.nextInt(train.size() - window);
      System.arraycopy(train.window(offset, window), 0, ids, b * window, window);
    }
    return ids;
  }

  private String description() {
    String corpus =
        " the conversational corpus of docs/data.md (nlp-corpus, fortunes, mailing-list ham, jokes)"
            + (o.chatReplies == null
                ? ""
                : " plus the clean replies of the reply set's training batches ("
                    + o.chatReplies
                    + ", prompt and reply, repeated "
                    + CHAT_REPEATS
                    + " times)");
    String what =
        o.initFrom == null
            ? "A small GPT-2-architecture causal LM trained from scratch by `armguard train lm` on"
                + corpus
                + (o.tokenizerFrom == null
                    ? ". Tokenizer: GPT-2's byte-level BPE cut to the first "
                        + o.shape.merges()
                        + " merges."
                    : ". Tokenizer: that of "
                        + o.tokenizerFrom
                        + " (its vocabulary, from scratch).")
            : "A causal LM started from the first "
                + o.shape.layers()
                + " layers of the pretrained encoder "
                + o.initFrom
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
    Path base = o.data.resolve(PreparedData.LM_TRAIN);
    if (o.chatReplies == null) {
      return base;
    }
    io.armguard.data.ReplySet set =
        io.armguard.data.ReplySet.load(o.chatReplies)
            .without(io.armguard.data.ReplySet.EVALUATION_BATCHES);
    java.util.List<String> lines = new java.util.ArrayList<>(PreparedData.readLines(base));
    for (int r = 0; r < CHAT_REPEATS; r++) {
      for (io.armguard.data.ReplyItem item : set.items()) {
        if (!item.toxic()) {
          lines.add((item.prompt() + " " + item.reply()).strip());
        }
      }
    }
    java.util.Collections.shuffle(lines, new Random(o.run.seed()));
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
}
