package io.armguard.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.armguard.data.ReplySet;
import io.armguard.reward.ArmRewardModel;
import io.armguard.reward.RewardModel;
import io.armguard.reward.RewardModels;
import io.armguard.train.CandidateAgreement;
import io.armguard.train.CandidateDistillation;
import io.armguard.train.CandidateDistillationSettings;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code armguard analyze candidates}: how an ARM model ranks the LM's candidates compared with a
 * RAD teacher, the agreement {@code train replies --distill-*} reports.
 */
@Command(
    name = "candidates",
    mixinStandardHelpOptions = true,
    description = {
      "How ARM reward models rank the LM's top-k next tokens compared with a RAD teacher: at"
          + " sampled prefixes of the reply set's batches (each reply alone, cut to --max-tokens),"
          + " the mean Spearman correlation of student and teacher scores over the candidate sets"
          + " (steering label) and the MSE of their scores (every label; the student's sigmoid, the"
          + " teacher's calibrated score)."
          + " With the defaults it reads the candidate sets the final 'valid' check of"
          + " train replies --distill-* reads (same seed). One JSON line per model."
    })
public final class AnalyzeCandidatesCommand implements Callable<Integer> {
  @Option(
      names = "--reward",
      split = ",",
      defaultValue = "models/arm",
      description = "ARM reward models to check (default: ${DEFAULT-VALUE})")
  List<Path> rewards;

  @Option(
      names = "--teacher",
      defaultValue = "models/rad",
      description = "the RAD reward model to compare with (default: ${DEFAULT-VALUE})")
  Path teacher;

  @Option(
      names = "--lm",
      defaultValue = "models/lm",
      description = "the LM whose candidates are ranked (default: ${DEFAULT-VALUE})")
  Path lm;

  @Option(
      names = "--batches",
      split = ",",
      defaultValue = io.armguard.data.ReplySet.VALIDATION,
      description = "reply-set batches whose replies are read (default: ${DEFAULT-VALUE})")
  List<String> batches;

  @Option(
      names = "--k",
      defaultValue = "20",
      description = "candidates per prefix (default: ${DEFAULT-VALUE})")
  int k;

  @Option(
      names = "--positions",
      defaultValue = "2",
      description = "prefixes per reply (default: ${DEFAULT-VALUE})")
  int positions;

  @Option(
      names = "--batch",
      defaultValue = "8",
      description = "replies per forward pass (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(
      names = "--max-tokens",
      defaultValue = "96",
      description = "replies are cut to this many tokens (default: ${DEFAULT-VALUE})")
  int maxTokens;

  @Option(
      names = "--seed",
      defaultValue = "1234",
      description =
          "prefix sampling seed; a training run uses its --seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Mixin ReplySetOption replies;

  @Mixin RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    var device = runtime.apply();
    ReplySet set = replies.load();
    for (String b : batches) {
      if (!set.batches().contains(b)) {
        throw new IllegalArgumentException("no batch '" + b + "' in " + replies.path());
      }
    }
    ReplySet chosen = set.only(new HashSet<>(batches));
    CandidateDistillationSettings settings =
        new CandidateDistillationSettings(teacher, lm, k, positions, batch, 1f);
    for (Path dir : rewards) {
      try (NDManager manager = NDManager.newBaseManager(device)) {
        RewardModel model = RewardModels.load(dir, manager);
        if (!(model instanceof ArmRewardModel arm)) {
          throw new IllegalArgumentException(
              dir + " is a " + model.info().kind() + " model; analyze candidates checks ARM");
        }
        CandidateDistillation distillation = CandidateDistillation.load(settings, arm, manager);
        long start = System.nanoTime();
        JsonObject o = new JsonObject();
        o.addProperty("model", model.id());
        distillation.facts().entrySet().forEach(e -> o.add(e.getKey(), e.getValue()));
        o.remove("target");
        o.addProperty("batches", String.join(",", batches));
        List<int[]> tokens =
            CandidateAgreement.replyTokens(chosen.items(), arm.tokenizer(), maxTokens);
        o.addProperty("replies", tokens.size());
        o.addProperty("k", k);
        o.addProperty("positions", positions);
        o.addProperty("seed", seed);
        distillation
            .agreement(arm, tokens, seed, manager)
            .toJson()
            .entrySet()
            .forEach(e -> o.add(e.getKey(), e.getValue()));
        o.addProperty("seconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
        System.out.println(o);
      }
    }
    return 0;
  }
}
