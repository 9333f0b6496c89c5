package io.armguard.train;

import com.google.gson.JsonObject;
import java.nio.file.Path;

/**
 * Settings of {@code train lm}, built with {@link #builder()}. Defaults (those of the command; see
 * docs/training.md for the measured step times): a 4-layer, 192-wide GPT-2 with GPT-2's vocabulary
 * cut to the first 8,000 merges and a 128-token context, 16 windows a step for 1,200 steps. {@code
 * out} has no default.
 */
public final class LmTrainingOptions {
  final RunSettings run;
  final Path data;
  final GptShape shape;
  final int evalEvery;
  final int evalWindows;
  final Path initFrom;
  final Path tokenizerFrom;
  final Path chatReplies;

  private LmTrainingOptions(Builder b) {
    this.run = b.runSettings();
    this.data = b.data;
    this.shape = b.shape();
    this.evalEvery = b.evalEvery;
    this.evalWindows = b.evalWindows;
    this.initFrom = b.initFrom;
    this.tokenizerFrom = b.tokenizerFrom;
    this.chatReplies = b.chatReplies;
    if (initFrom != null && tokenizerFrom != null) {
      throw new IllegalArgumentException(
          "--tokenizer-from is for a GPT-2 from scratch; --init-from already brings its tokenizer");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The settings that must match for a checkpoint to be resumed (keys and order as ever). */
  JsonObject identity() {
    JsonObject o = new JsonObject();
    o.addProperty("layers", shape.layers());
    o.addProperty("d_model", shape.dModel());
    o.addProperty("heads", shape.heads());
    o.addProperty("context", shape.context());
    o.addProperty("merges", shape.merges());
    run.addOptimizerIdentity(o);
    o.addProperty("seed", run.seed());
    if (initFrom != null) {
      o.addProperty("init_from", initFrom.toString());
    }
    if (tokenizerFrom != null) {
      o.addProperty("tokenizer_from", tokenizerFrom.toString());
    }
    if (chatReplies != null) {
      o.addProperty("chat_replies", chatReplies.toString());
    }
    return o;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder extends GptShape.Builder<Builder> {
    private Path data = Path.of("work-data");
    private int evalEvery = 250;
    private int evalWindows = 64;
    private Path initFrom;
    private Path tokenizerFrom;
    private Path chatReplies;

    private Builder() {
      super(4);
      batch(16).steps(1200).learningRate(1e-3f).warmupSteps(100).clipNorm(1.0);
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** The prepared data directory ({@code data prepare}). */
    public Builder data(Path v) {
      data = v;
      return this;
    }

    /** Steps between quick validation checks; 0 for none. */
    public Builder evalEvery(int v) {
      evalEvery = v;
      return this;
    }

    /** Windows in a quick validation check. */
    public Builder evalWindows(int v) {
      evalWindows = v;
      return this;
    }

    /**
     * A pretrained backbone directory (e.g. an imported MiniLM) whose first {@code layers} layers
     * start the LM, made causal, with its tokenizer and a frozen, tied token embedding; null (the
     * default): a GPT-2 from scratch.
     */
    public Builder initFrom(Path v) {
      initFrom = v;
      return this;
    }

    /**
     * A model directory whose {@code tokenizer.json} a GPT-2 from scratch uses instead of GPT-2's
     * cut BPE (e.g. an imported encoder's WordPiece, so that the LM shares the reward models'
     * vocabulary); null (the default): GPT-2's BPE. Not with {@link #initFrom}.
     */
    public Builder tokenizerFrom(Path v) {
      tokenizerFrom = v;
      return this;
    }

    /**
     * A reply set folder whose clean replies of the training batches (prompt, a space, reply; never
     * the validation or test batches) are added to the corpus, repeated {@link
     * LmTrainer#CHAT_REPEATS} times; null (the default): the corpus alone.
     */
    public Builder chatReplies(Path v) {
      chatReplies = v;
      return this;
    }

    public LmTrainingOptions build() {
      return new LmTrainingOptions(this);
    }
  }
}
