package io.armguard.train;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How {@code train replies --kind arm} distils a RAD teacher's ranking of the LM's candidates into
 * the ARM student ({@link CandidateDistillation}). Immutable; validated on construction.
 *
 * @param teacher a RAD reward model directory with the student's labels and tokenizer
 * @param lm the language model whose top-k candidates are ranked (the student's tokenizer)
 * @param k candidates per prefix (the LM's top k)
 * @param positions prefix positions sampled per distilled reply per step
 * @param batch replies of each step's batch that are distilled (at most the batch)
 * @param weight weight of the candidate MSE in the step's loss
 * @param rankWeight weight of the MSE of the scores centred per candidate set (each candidate's
 *     score minus its set's mean, student against teacher): the part of the match that is about
 *     ranking, which the plain MSE dilutes with the prefix's level; 0 = off
 * @param corpus unlabelled text files ({@link DistillationCorpus}) whose prefixes are distilled
 *     too, {@code batch} texts a step besides the replies' prefixes; empty = replies only
 */
public record CandidateDistillationSettings(
    Path teacher,
    Path lm,
    int k,
    int positions,
    int batch,
    float weight,
    float rankWeight,
    List<Path> corpus) {

  /** Settings that distil the replies' prefixes only. */
  public CandidateDistillationSettings(
      Path teacher, Path lm, int k, int positions, int batch, float weight, float rankWeight) {
    this(teacher, lm, k, positions, batch, weight, rankWeight, List.of());
  }

  /** Settings without the centred ranking term. */
  public CandidateDistillationSettings(
      Path teacher, Path lm, int k, int positions, int batch, float weight) {
    this(teacher, lm, k, positions, batch, weight, 0f);
  }

  public CandidateDistillationSettings {
    Objects.requireNonNull(teacher, "distillation teacher");
    Objects.requireNonNull(lm, "distillation LM");
    corpus = List.copyOf(corpus);
    if (k < 1 || positions < 1 || batch < 1) {
      throw new IllegalArgumentException(
          "--distill-k, --distill-positions and --distill-batch must be >= 1: "
              + k
              + ", "
              + positions
              + ", "
              + batch);
    }
    if (!(weight >= 0) || Float.isInfinite(weight)) {
      throw new IllegalArgumentException("--distill-weight must be finite and >= 0: " + weight);
    }
    if (!(rankWeight >= 0) || Float.isInfinite(rankWeight)) {
      throw new IllegalArgumentException(
          "--distill-rank-weight must be finite and >= 0: " + rankWeight);
    }
  }

  /**
   * Appends the settings to a checkpoint identity (and so to the card's {@code settings}); only
   * called when distilling, so runs without it keep their identity byte for byte.
   */
  void addIdentity(JsonObject identity) {
    identity.addProperty("distill_teacher", teacher.toString());
    identity.addProperty("distill_lm", lm.toString());
    identity.addProperty("distill_k", k);
    identity.addProperty("distill_positions", positions);
    identity.addProperty("distill_batch", batch);
    identity.addProperty("distill_weight", weight);
    if (rankWeight > 0) { // absent when off: earlier distilled runs keep their identity
      identity.addProperty("distill_rank_weight", rankWeight);
    }
    if (!corpus.isEmpty()) { // likewise
      identity.addProperty(
          "distill_corpus", String.join(",", corpus.stream().map(Path::toString).toList()));
    }
  }
}
