package io.armguard.train;

import com.google.gson.JsonObject;
import io.armguard.data.ReplySplit;
import io.armguard.reward.RewardKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Settings of {@code train replies}: a multi-label reward model (ARM or RAD) on a pretrained
 * backbone, trained on the reply set's per-prefix targets. Built with {@link #builder()}; every
 * field has a default except {@code out} and {@code initFrom}.
 */
public final class ReplyRewardOptions {
  final RunSettings run;
  final RewardKind kind;
  final Path replies;
  final ReplySplit split;
  final boolean trainOnJudgeShare;
  final Path initFrom;
  final Path data;
  final int layers;
  final int frozenLayers;
  final int maxTokens;
  final float regulariserWeight;
  final CandidateDistillationSettings distillation; // null: no candidate distillation

  private ReplyRewardOptions(Builder b) {
    this.run = b.runSettings();
    this.kind = b.kind;
    this.replies = b.replies;
    this.split = Objects.requireNonNull(b.split, "split");
    this.trainOnJudgeShare = b.trainOnJudgeShare;
    this.initFrom = Objects.requireNonNull(b.initFrom, "initFrom");
    this.data = b.data;
    this.layers = b.layers;
    this.frozenLayers = b.frozenLayers;
    this.maxTokens = b.maxTokens;
    this.regulariserWeight = b.regulariserWeight;
    if (frozenLayers < 0 || frozenLayers > layers) {
      throw new IllegalArgumentException("frozen layers must be in 0.." + layers);
    }
    this.distillation = b.distillation();
    if (distillation != null && kind != RewardKind.ARM) {
      throw new IllegalArgumentException(
          "candidate distillation (--distill-teacher, --distill-lm) trains ARM only, not " + kind);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What a checkpoint must have been made with to be resumed. */
  JsonObject identity() {
    JsonObject o = new JsonObject();
    o.addProperty("kind", kind.name());
    o.addProperty("replies", replies.toString());
    split.addSettings(o);
    if (trainOnJudgeShare) {
      // only recorded when set, so checkpoints and cards of reward models read as before
      o.addProperty("train_on", "judge_share");
    }
    o.addProperty("init_from", initFrom.toString());
    o.addProperty("layers", layers);
    o.addProperty("frozen_layers", frozenLayers);
    o.addProperty("max_tokens", maxTokens);
    run.addOptimizerIdentity(o);
    o.addProperty("regulariser_weight", regulariserWeight);
    o.addProperty("seed", run.seed());
    if (distillation != null) {
      distillation.addIdentity(o);
    }
    return o;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder extends RunSettings.Builder<Builder> {
    private RewardKind kind = RewardKind.ARM;
    private Path replies = Path.of("data", "replies");
    private ReplySplit split = ReplySplit.DEFAULT;
    private boolean trainOnJudgeShare = false;
    private Path initFrom;
    private Path data = Path.of("work-data");
    private int layers = 6;
    private int frozenLayers = 0;
    private int maxTokens = 96;
    private float regulariserWeight = 1.0f;
    private Path distillTeacher;
    private Path distillLm;
    private int distillK = 20;
    private int distillPositions = 2;
    private int distillBatch = 8;
    private float distillWeight = 1.0f;
    private float distillRankWeight = 0f;
    private List<Path> distillCorpus = List.of();

    private Builder() {
      batch(32).steps(600).learningRate(1e-4f).warmupSteps(60).clipNorm(1.0).checkpointEvery(50);
    }

    @Override
    protected Builder self() {
      return this;
    }

    public Builder kind(RewardKind v) {
      kind = v;
      return this;
    }

    public Builder replies(Path v) {
      replies = v;
      return this;
    }

    /**
     * The reply set's split ({@link ReplySplit#DEFAULT} by default): the model trains on its
     * training batches minus the judge's share, calibrates on its validation batches and is scored
     * on its held-out batches.
     */
    public Builder split(ReplySplit v) {
      split = v;
      return this;
    }

    /**
     * Train on the judge's share instead of the reward models' part (an independent judge of the
     * same architecture; the replies a reward model trains on are left out by text as well).
     */
    public Builder trainOnJudgeShare(boolean v) {
      trainOnJudgeShare = v;
      return this;
    }

    public Builder initFrom(Path v) {
      initFrom = v;
      return this;
    }

    public Builder data(Path v) {
      data = v;
      return this;
    }

    public Builder layers(int v) {
      layers = v;
      return this;
    }

    public Builder frozenLayers(int v) {
      frozenLayers = v;
      return this;
    }

    public Builder maxTokens(int v) {
      maxTokens = v;
      return this;
    }

    public Builder regulariserWeight(float v) {
      regulariserWeight = v;
      return this;
    }

    /**
     * The RAD teacher of candidate distillation; with {@link #distillLm} it turns distillation on
     * (ARM only). Null (the default) leaves the training exactly as without it.
     */
    public Builder distillTeacher(Path v) {
      distillTeacher = v;
      return this;
    }

    /** The LM whose top-k candidates are distilled; see {@link #distillTeacher}. */
    public Builder distillLm(Path v) {
      distillLm = v;
      return this;
    }

    /** Candidates per prefix (default 20). */
    public Builder distillK(int v) {
      distillK = v;
      return this;
    }

    /** Prefix positions sampled per distilled reply per step (default 2). */
    public Builder distillPositions(int v) {
      distillPositions = v;
      return this;
    }

    /** Replies of each step's batch that are distilled (default 8). */
    public Builder distillBatch(int v) {
      distillBatch = v;
      return this;
    }

    /** Weight of the candidate MSE in the loss (default 1.0). */
    public Builder distillWeight(float v) {
      distillWeight = v;
      return this;
    }

    /** Weight of the per-set centred (ranking) MSE (default 0 = off). */
    public Builder distillRankWeight(float v) {
      distillRankWeight = v;
      return this;
    }

    /** Unlabelled text files whose prefixes are distilled too (default none). */
    public Builder distillCorpus(List<Path> v) {
      distillCorpus = v == null ? List.of() : List.copyOf(v);
      return this;
    }

    private CandidateDistillationSettings distillation() {
      if (distillTeacher == null && distillLm == null) {
        return null;
      }
      if (distillTeacher == null || distillLm == null) {
        throw new IllegalArgumentException(
            "candidate distillation needs both --distill-teacher and --distill-lm");
      }
      return new CandidateDistillationSettings(
          distillTeacher,
          distillLm,
          distillK,
          distillPositions,
          distillBatch,
          distillWeight,
          distillRankWeight,
          distillCorpus);
    }

    public ReplyRewardOptions build() {
      return new ReplyRewardOptions(this);
    }
  }
}
