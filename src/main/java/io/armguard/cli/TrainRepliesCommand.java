package io.armguard.cli;

import io.armguard.reward.RewardKind;
import io.armguard.train.ReplyRewardOptions;
import io.armguard.train.ReplyRewardTrainer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code armguard train replies}: the moderation reward models on the reply set. */
@Command(
    name = "replies",
    mixinStandardHelpOptions = true,
    description = {
      "Train a multi-label moderation reward model (ARM or RAD; heads toxicity, insult, threat,"
          + " identity_attack, obscene, sexual) on the reply set written for armguard"
          + " (data/replies): every prefix of each reply, alone, against per-prefix targets, on a"
          + " pretrained backbone (e.g. an imported MiniLM: `armguard model import`) made causal.",
      "The validation batches calibrate the scores (Platt per label); the held-out batches and"
          + " the gold set are scored after training only. Resumes from <out>/checkpoint; writes"
          + " an HF-layout reward model directory (F16) with armguard.json and a card, and prints"
          + " the facts as one JSON line."
    })
public final class TrainRepliesCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ReplySplitOptions set = new ReplySplitOptions();

  @Option(
      names = "--kind",
      defaultValue = "arm",
      description = "arm or rad (default: ${DEFAULT-VALUE})")
  RewardKind kind;

  @Option(
      names = "--out",
      required = true,
      description = "model directory to write (an existing model needs --force)")
  Path out;

  @Mixin OutputGuard.Force force;

  @Option(
      names = "--init-from",
      required = true,
      description = "pretrained backbone directory (BERT or GPT-2 layout)")
  Path initFrom;

  @Option(
      names = "--data",
      defaultValue = "work-data",
      description = "prepared data, for the gold set (default: ${DEFAULT-VALUE})")
  Path data;

  @Option(
      names = "--train-on-judge-share",
      description =
          "train on the judge's share instead (an independent judge of this architecture, e.g. on"
              + " another encoder: disjoint by id and text from what the reward models train on)")
  boolean trainOnJudgeShare;

  @Option(
      names = "--layers",
      defaultValue = "6",
      description = "backbone layers to keep (default: ${DEFAULT-VALUE})")
  int layers;

  @Option(
      names = "--frozen-layers",
      defaultValue = "0",
      description = "lowest layers (and the embeddings) kept frozen (default: ${DEFAULT-VALUE})")
  int frozenLayers;

  @Option(
      names = "--max-tokens",
      defaultValue = "96",
      description = "replies are cut to this many tokens (default: ${DEFAULT-VALUE})")
  int maxTokens;

  @Option(
      names = "--regulariser",
      defaultValue = "1.0",
      description = "ARM baseline-prior regulariser weight (default: ${DEFAULT-VALUE})")
  float regulariser;

  @Option(
      names = "--distill-teacher",
      description =
          "ARM only: a RAD reward model directory (same labels and tokenizer, e.g. models/rad)"
              + " whose scores of the LM's top-k candidates the student learns to match (candidate"
              + " distillation; needs --distill-lm)")
  Path distillTeacher;

  @Option(
      names = "--distill-lm",
      description =
          "the language model whose top-k candidates are distilled (same tokenizer, e.g."
              + " models/lm)")
  Path distillLm;

  @Option(
      names = "--distill-k",
      defaultValue = "20",
      description = "candidates per prefix (default: ${DEFAULT-VALUE})")
  int distillK;

  @Option(
      names = "--distill-positions",
      defaultValue = "2",
      description =
          "prefix positions sampled per distilled reply per step (default: ${DEFAULT-VALUE})")
  int distillPositions;

  @Option(
      names = "--distill-batch",
      defaultValue = "8",
      description = "replies of each step's batch that are distilled (default: ${DEFAULT-VALUE})")
  int distillBatch;

  @Option(
      names = "--distill-weight",
      defaultValue = "1.0",
      description = "weight of the candidate MSE in the loss (default: ${DEFAULT-VALUE})")
  float distillWeight;

  @Option(
      names = "--distill-rank-weight",
      defaultValue = "0",
      description =
          "weight of the MSE of candidate scores centred per candidate set (the ranking part of"
              + " the match; 0 = off, default: ${DEFAULT-VALUE})")
  float distillRankWeight;

  @Option(
      names = "--distill-corpus",
      split = ",",
      description =
          "unlabelled text files (.txt: a document a line; .jsonl: a \"text\" field) whose"
              + " prefixes are distilled too, --distill-batch texts a step drawn evenly from the"
              + " files, e.g. work-data/lm/train.txt,work-data/toxicity/reward-train.jsonl: the"
              + " text eval detox and GENERATE steer (default: the replies only)")
  List<Path> distillCorpus;

  @Mixin TrainingRunOptions run = new TrainingRunOptions(32, 600, 1e-4f, 60, 1.0, 50);

  @Mixin RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    OutputGuard.modelDirectory(out, force.force);
    ReplyRewardOptions options =
        run.applyTo(ReplyRewardOptions.builder())
            .kind(kind)
            .out(out)
            .initFrom(initFrom)
            .replies(set.replies)
            .split(set.split())
            .trainOnJudgeShare(trainOnJudgeShare)
            .data(data)
            .layers(layers)
            .frozenLayers(frozenLayers)
            .maxTokens(maxTokens)
            .regulariserWeight(kind == RewardKind.ARM ? regulariser : 0f)
            .distillTeacher(distillTeacher)
            .distillLm(distillLm)
            .distillK(distillK)
            .distillPositions(distillPositions)
            .distillBatch(distillBatch)
            .distillWeight(distillWeight)
            .distillRankWeight(distillRankWeight)
            .distillCorpus(distillCorpus)
            .build();
    return TrainingRunOptions.trainAndPrint(
        runtime,
        new ReplyRewardTrainer(options, l -> System.err.println("train replies: " + l))::train);
  }
}
