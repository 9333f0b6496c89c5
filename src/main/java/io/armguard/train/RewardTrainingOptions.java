package io.armguard.train;

import com.google.gson.JsonObject;
import io.armguard.reward.RewardKind;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of {@code train rad} and {@code train arm}, built with {@link #builder(RewardKind)}.
 * Defaults are the commands' (a 2-layer backbone, texts cut to 64 tokens, 32 a step for 600 steps,
 * peak learning rate 3e-4, clip 2.0) except {@code initFrom}, which defaults to none (a random
 * init); {@code out} has no default.
 */
public final class RewardTrainingOptions {
  final RunSettings run;
  final RewardKind kind;
  final Regime regime;
  final Path data;
  final Path teacher;
  final Path initFrom;
  final GptShape shape;
  final int maxTokens;
  final float regulariserWeight;
  final Freezing freezing;

  private RewardTrainingOptions(Builder b) {
    this.run = b.runSettings();
    this.kind = b.kind;
    this.regime = b.regime;
    this.data = b.data;
    this.teacher = b.teacher;
    this.initFrom = b.initFrom;
    this.shape = b.shape();
    this.maxTokens = b.maxTokens;
    this.regulariserWeight = b.regulariserWeight;
    this.freezing = Objects.requireNonNull(b.freezing, "freezing");
    if (kind == RewardKind.RAD && regime != null) {
      throw new IllegalArgumentException("RAD has no training regime: " + regime);
    }
    if (regime == Regime.DISTILL && teacher == null) {
      throw new IllegalArgumentException("the distill regime needs a RAD teacher");
    }
  }

  /** A builder for a reward model of this kind. */
  public static Builder builder(RewardKind kind) {
    return new Builder(Objects.requireNonNull(kind, "kind"));
  }

  /** ARM training regimes (docs/algorithm.md section 3). */
  public enum Regime {
    RESPONSES,
    DISTILL
  }

  /** The settings that must match for a checkpoint to be resumed (keys and order as ever). */
  JsonObject identity() {
    JsonObject o = new JsonObject();
    o.addProperty("kind", kind.name());
    o.addProperty("regime", regime == null ? "-" : regime.name());
    o.addProperty("teacher", teacher == null ? "-" : teacher.toString());
    o.addProperty("init_from", initFrom == null ? "-" : initFrom.toString());
    o.addProperty("layers", shape.layers());
    o.addProperty("max_tokens", maxTokens);
    run.addOptimizerIdentity(o);
    o.addProperty("regulariser_weight", regulariserWeight);
    o.addProperty("seed", run.seed());
    if (freezing.any()) { // absent when nothing is frozen: older checkpoints keep resuming
      o.addProperty("freeze_embeddings", freezing.embeddings());
      o.addProperty("freeze_lowest_layers", freezing.lowestLayers());
    }
    return o;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder extends GptShape.Builder<Builder> {
    private final RewardKind kind;
    private Regime regime;
    private Path data = Path.of("work-data");
    private Path teacher;
    private Path initFrom;
    private int maxTokens = 64;
    private float regulariserWeight = 1.0f;
    private Freezing freezing = Freezing.NONE;

    private Builder(RewardKind kind) {
      super(2);
      this.kind = kind;
      batch(32).steps(600).learningRate(3e-4f).warmupSteps(50).clipNorm(2.0);
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * ARM only: RESPONSES (regress observed-token scores onto the text's label with the cumulative
     * weighted loss) or DISTILL (regress onto a RAD teacher's scores); null (the default) for RAD.
     */
    public Builder regime(Regime v) {
      regime = v;
      return this;
    }

    /** The prepared data directory ({@code data prepare}). */
    public Builder data(Path v) {
      data = v;
      return this;
    }

    /** The RAD model directory for DISTILL, else null. */
    public Builder teacher(Path v) {
      teacher = v;
      return this;
    }

    /**
     * LM directory whose embeddings and first blocks start the backbone, a GPT-2 LM or a
     * BERT-family encoder ({@code model import}), made causal; null: random init with {@code
     * dModel}, {@code heads}, {@code context}, {@code merges}.
     */
    public Builder initFrom(Path v) {
      initFrom = v;
      return this;
    }

    /** Texts are cut to this many tokens. */
    public Builder maxTokens(int v) {
      maxTokens = v;
      return this;
    }

    /** ARM's baseline-prior regulariser weight (paper: 1.0); 0 for none. */
    public Builder regulariserWeight(float v) {
      regulariserWeight = v;
      return this;
    }

    /**
     * Backbone parameters left untouched ({@link Freezing#NONE}, the default: train everything).
     */
    public Builder freezing(Freezing v) {
      freezing = v;
      return this;
    }

    public RewardTrainingOptions build() {
      return new RewardTrainingOptions(this);
    }
  }
}
