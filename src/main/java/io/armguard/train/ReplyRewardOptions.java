package io.armguard.train;

import com.google.gson.JsonObject;
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
  final RewardKind kind;
  final Path replies;
  final List<String> validBatches;
  final List<String> heldOutBatches;
  final double judgeShare;
  final Path initFrom;
  final Path data;
  final Path out;
  final int layers;
  final int frozenLayers;
  final int maxTokens;
  final int batch;
  final int steps;
  final float learningRate;
  final int warmupSteps;
  final double clipNorm;
  final float weightDecay;
  final float regulariserWeight;
  final long seed;
  final int checkpointEvery;
  final boolean restart;
  final String command;

  private ReplyRewardOptions(Builder b) {
    this.kind = b.kind;
    this.replies = b.replies;
    this.validBatches = List.copyOf(b.validBatches);
    this.heldOutBatches = List.copyOf(b.heldOutBatches);
    this.judgeShare = b.judgeShare;
    this.initFrom = Objects.requireNonNull(b.initFrom, "initFrom");
    this.data = b.data;
    this.out = Objects.requireNonNull(b.out, "out");
    this.layers = b.layers;
    this.frozenLayers = b.frozenLayers;
    this.maxTokens = b.maxTokens;
    this.batch = b.batch;
    this.steps = b.steps;
    this.learningRate = b.learningRate;
    this.warmupSteps = b.warmupSteps;
    this.clipNorm = b.clipNorm;
    this.weightDecay = b.weightDecay;
    this.regulariserWeight = b.regulariserWeight;
    this.seed = b.seed;
    this.checkpointEvery = b.checkpointEvery;
    this.restart = b.restart;
    this.command = b.command;
    if (frozenLayers < 0 || frozenLayers > layers) {
      throw new IllegalArgumentException("frozen layers must be in 0.." + layers);
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
    o.addProperty("valid_batches", String.join(",", validBatches));
    o.addProperty("held_out_batches", String.join(",", heldOutBatches));
    o.addProperty("judge_share", judgeShare);
    o.addProperty("init_from", initFrom.toString());
    o.addProperty("layers", layers);
    o.addProperty("frozen_layers", frozenLayers);
    o.addProperty("max_tokens", maxTokens);
    o.addProperty("batch", batch);
    o.addProperty("steps", steps);
    o.addProperty("learning_rate", learningRate);
    o.addProperty("warmup_steps", warmupSteps);
    o.addProperty("clip_norm", clipNorm);
    o.addProperty("weight_decay", weightDecay);
    o.addProperty("regulariser_weight", regulariserWeight);
    o.addProperty("seed", seed);
    return o;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private RewardKind kind = RewardKind.ARM;
    private Path replies = Path.of("data", "replies");
    private List<String> validBatches = List.of("val");
    private List<String> heldOutBatches = List.of("test");
    private double judgeShare = 0.2;
    private Path initFrom;
    private Path data = Path.of("work-data");
    private Path out;
    private int layers = 6;
    private int frozenLayers = 0;
    private int maxTokens = 96;
    private int batch = 32;
    private int steps = 600;
    private float learningRate = 1e-4f;
    private int warmupSteps = 60;
    private double clipNorm = 1.0;
    private float weightDecay = 0.01f;
    private float regulariserWeight = 1.0f;
    private long seed = 1234;
    private int checkpointEvery = 50;
    private boolean restart;
    private String command = "";

    private Builder() {}

    public Builder kind(RewardKind v) {
      kind = v;
      return this;
    }

    public Builder replies(Path v) {
      replies = v;
      return this;
    }

    public Builder validBatches(List<String> v) {
      validBatches = v;
      return this;
    }

    public Builder heldOutBatches(List<String> v) {
      heldOutBatches = v;
      return this;
    }

    public Builder judgeShare(double v) {
      judgeShare = v;
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

    public Builder out(Path v) {
      out = v;
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

    public Builder batch(int v) {
      batch = v;
      return this;
    }

    public Builder steps(int v) {
      steps = v;
      return this;
    }

    public Builder learningRate(float v) {
      learningRate = v;
      return this;
    }

    public Builder warmupSteps(int v) {
      warmupSteps = v;
      return this;
    }

    public Builder clipNorm(double v) {
      clipNorm = v;
      return this;
    }

    public Builder weightDecay(float v) {
      weightDecay = v;
      return this;
    }

    public Builder regulariserWeight(float v) {
      regulariserWeight = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder checkpointEvery(int v) {
      checkpointEvery = v;
      return this;
    }

    public Builder restart(boolean v) {
      restart = v;
      return this;
    }

    public Builder command(String v) {
      command = v;
      return this;
    }

    public ReplyRewardOptions build() {
      return new ReplyRewardOptions(this);
    }
  }
}
