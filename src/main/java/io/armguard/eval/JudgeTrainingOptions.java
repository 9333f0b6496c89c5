package io.armguard.eval;

import io.armguard.data.ReplySplit;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Settings of {@code train judge}. Built with {@link #builder()}; every field has a default (the
 * split, {@link ReplySplit#DEFAULT}, is {@code train replies}' so that the judge's share is the one
 * the reward models left out).
 */
public final class JudgeTrainingOptions {
  final Path replies;
  final Path data;
  final Path out;
  final ReplySplit split;
  final double l2;
  final boolean sentimentNegatives;
  final List<Path> rewardModels;
  final int ordinaryTexts;
  final int ordinaryWords;
  final String command;

  private JudgeTrainingOptions(Builder b) {
    this.replies = Objects.requireNonNull(b.replies, "replies");
    this.data = Objects.requireNonNull(b.data, "data");
    this.out = Objects.requireNonNull(b.out, "out");
    this.split = Objects.requireNonNull(b.split, "split");
    this.l2 = b.l2;
    this.sentimentNegatives = b.sentimentNegatives;
    this.rewardModels = List.copyOf(b.rewardModels);
    this.ordinaryTexts = b.ordinaryTexts;
    this.ordinaryWords = b.ordinaryWords;
    this.command = b.command;
    if (split.validBatches().isEmpty()) {
      throw new IllegalArgumentException("the judge needs a validation batch to calibrate on");
    }
    if (!(l2 >= 0)) {
      throw new IllegalArgumentException("l2 must be >= 0, got " + l2);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private Path replies = Path.of("data", "replies");
    private Path data = Path.of("work-data");
    private Path out = Path.of("models", "judge");
    private ReplySplit split = ReplySplit.DEFAULT;
    private double l2 = 1e-3;
    private boolean sentimentNegatives = false;
    private List<Path> rewardModels = List.of();
    private int ordinaryTexts = 500;
    private int ordinaryWords = 15;
    private String command = "";

    private Builder() {}

    /** The reply set's folder. */
    public Builder replies(Path v) {
      replies = v;
      return this;
    }

    /** Prepared data ({@code data prepare}): gold set, held-out text, UCI sentences, lexicon. */
    public Builder data(Path v) {
      data = v;
      return this;
    }

    public Builder out(Path v) {
      out = v;
      return this;
    }

    /**
     * The reply set's split: the judge trains on its judge's share, calibrates on its validation
     * batches and is measured on its held-out batches.
     */
    public Builder split(ReplySplit v) {
      split = v;
      return this;
    }

    /** L2 penalty of every head's logistic regression. */
    public Builder l2(double v) {
      l2 = v;
      return this;
    }

    /** Whether the UCI sentiment sentences join the training set as clean (all-zero) replies. */
    public Builder sentimentNegatives(boolean v) {
      sentimentNegatives = v;
      return this;
    }

    /** Reward model directories whose recorded training split the judge must not overlap. */
    public Builder rewardModels(List<Path> v) {
      rewardModels = v;
      return this;
    }

    /** How many openings of held-out human text measure the score of ordinary text. */
    public Builder ordinaryTexts(int v) {
      ordinaryTexts = v;
      return this;
    }

    /** Words per opening (eval detox's sample length: 20 tokens, about 15 words). */
    public Builder ordinaryWords(int v) {
      ordinaryWords = v;
      return this;
    }

    /** The command line recorded in the card. */
    public Builder command(String v) {
      command = v;
      return this;
    }

    public JudgeTrainingOptions build() {
      return new JudgeTrainingOptions(this);
    }
  }
}
