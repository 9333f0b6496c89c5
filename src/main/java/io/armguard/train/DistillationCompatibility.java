package io.armguard.train;

import io.armguard.model.BackboneConfig;
import io.armguard.model.CausalLm;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.ArmRewardModel;
import io.armguard.reward.RadRewardModel;
import io.armguard.reward.RewardModel;
import io.armguard.reward.ScoreOutput;

/**
 * What candidate distillation needs of its models before a step runs: an ARM student; a teacher and
 * an LM that share the student's vocabulary and tokenizer (the candidates are token ids of all
 * three); a teacher with the student's labels in the same order; and a teacher whose output is a
 * calibrated sigmoid, the probabilities the student's scores are matched to. Stateless.
 */
final class DistillationCompatibility {

  private DistillationCompatibility() {}

  /**
   * @param lmTokenizer the LM directory's tokenizer (null when it has none: refused)
   * @throws IllegalArgumentException naming the option ({@code --distill-teacher}, {@code
   *     --distill-lm}) and what differs
   */
  static void require(
      CandidateDistillationSettings settings,
      RadRewardModel teacher,
      CausalLm lm,
      TextTokenizer lmTokenizer,
      RewardModel student) {
    if (!(student instanceof ArmRewardModel)) {
      throw new IllegalArgumentException("candidate distillation trains an ARM student");
    }
    requireSameVocabulary(
        "--distill-teacher " + settings.teacher(),
        teacher.backbone().config(),
        teacher.tokenizer(),
        student);
    requireSameVocabulary("--distill-lm " + settings.lm(), lm.config(), lmTokenizer, student);
    if (!teacher.info().labels().equals(student.info().labels())) {
      throw new IllegalArgumentException(
          "--distill-teacher "
              + settings.teacher()
              + " has labels "
              + teacher.info().labels()
              + "; the student needs the same labels in the same order: "
              + student.info().labels());
    }
    ScoreOutput out = teacher.info().output();
    if (out.activation() != ScoreOutput.Activation.SIGMOID) {
      throw new IllegalArgumentException(
          "--distill-teacher "
              + settings.teacher()
              + " outputs "
              + out
              + "; candidate distillation matches calibrated probabilities and needs a sigmoid"
              + " (BCE-trained, train replies --kind rad) teacher");
    }
  }

  private static void requireSameVocabulary(
      String what, BackboneConfig config, TextTokenizer tokenizer, RewardModel student) {
    int v = student.backbone().config().vocabSize();
    if (config.vocabSize() != v) {
      throw new IllegalArgumentException(
          what
              + ": vocab_size "
              + config.vocabSize()
              + " != the student's "
              + v
              + "; the teacher, the LM and the student must share one tokenizer");
    }
    if (tokenizer == null || student.tokenizer() == null) {
      throw new IllegalArgumentException(
          what
              + ": "
              + (tokenizer == null ? "it" : "the student")
              + " has no tokenizer.json, so the shared vocabulary cannot be checked");
    }
    if (!tokenizer.sameVocabulary(student.tokenizer())) {
      throw new IllegalArgumentException(
          what
              + ": its tokenizer.json differs from the student's (different token ids or merges);"
              + " the teacher, the LM and the student must share one tokenizer");
    }
  }
}
