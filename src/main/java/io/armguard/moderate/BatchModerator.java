package io.armguard.moderate;

import io.armguard.decode.DecodeRequest;
import io.armguard.decode.DecodeResult;
import io.armguard.decode.GuidedEngine;
import io.armguard.decode.PrefixScores;
import io.armguard.decode.TextScoreRequest;
import io.armguard.moderate.Verdict.Decoding;
import io.armguard.moderate.Verdict.Evidence;
import io.armguard.moderate.Verdict.ReplacedSpan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GENERATE and MODERATE over a {@link GuidedEngine}, a whole micro-batch at a time (one generate
 * call and one scoring call per round, never one per request).
 *
 * <p>The reward model judges a reply as the reply: it scores BOS + the reply's tokens, never the
 * prompt, so a toxic question cannot flag a clean answer and a polite question cannot hide a toxic
 * one. The prompt is the LM's context only.
 *
 * <p>GENERATE: guided continuation of the prompt (EOS suppressed before {@link
 * ModerationPolicy#generateMinNewTokens()}; the reward model steers from BOS), then the
 * continuation and the prompt are each scored alone. MODERATE: every prefix of the reply is scored;
 * the decision is the whole reply's steering score against its threshold. Below: ALLOWED,
 * unchanged. At or above, in report-only mode: ALLOWED unchanged, flagged, with the evidence.
 * Otherwise the reply is cut at the start of the clause in which the first prefix that reaches the
 * threshold starts ({@link ToxicPrefix#keptChars}). Under {@link FirstRepair#REDACT} (the default)
 * the kept clause, else the kept sentences, plus the mask is delivered REDACTED when it keeps some
 * text and scores below the margin; the rest goes on as under {@link FirstRepair#REWRITE}. A reply
 * that keeps nothing goes straight to the fallback unless {@link
 * ModerationPolicy#rewriteEmptyPrefix()}. Rewriting: the kept prefix is continued with the task's
 * guided decoding (LM: prompt + kept prefix; reward model: BOS + kept prefix), and the delivered
 * reply (kept + new text) is scored as a whole. An attempt fails when it adds fewer than {@link
 * ModerationPolicy#rewriteMinNewTokens()} tokens, only whitespace, or does not score below {@link
 * ModerationPolicy#acceptBelow} the threshold (the threshold itself unless {@code
 * rewrite.accept.ratio} asks for a margin). After {@link ModerationPolicy#maxAttempts()} failed
 * attempts the fallback runs: REDACT delivers the kept prefix plus the mask if that scores below
 * the margin, else the kept prefix cut back to its last sentence end plus the mask, else the mask
 * alone; if none does (and under BLOCK) the fallback text is delivered, BLOCKED.
 *
 * <p>Not thread-safe: one instance per engine (per stream thread).
 */
public final class BatchModerator {

  private final GuidedEngine engine;
  private final ModerationPolicy policy;

  public BatchModerator(GuidedEngine engine, ModerationPolicy policy) {
    this.engine = engine;
    this.policy = policy;
  }

  /** Decides every task; verdicts are in task order. */
  public List<Verdict> decide(List<Task> tasks) {
    Verdict[] out = new Verdict[tasks.size()];
    String steering = engine.steeringLabel();
    List<Integer> gen = new ArrayList<>();
    List<Integer> mod = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      (tasks.get(i).kind() == Task.Kind.GENERATE ? gen : mod).add(i);
    }
    List<DecodeResult> generated =
        gen.isEmpty()
            ? List.of()
            : engine.generate(gen.stream().map(i -> generateRequest(tasks.get(i))).toList());

    // One scoring pass for everything known now, each text alone: GENERATE prompt and
    // continuation, MODERATE reply.
    List<TextScoreRequest> first = new ArrayList<>();
    for (int j = 0; j < gen.size(); j++) {
      first.add(alone(tasks.get(gen.get(j)).prompt()));
      first.add(alone(generated.get(j).text()));
    }
    for (int i : mod) {
      first.add(alone(tasks.get(i).response()));
    }
    List<PrefixScores> scores = score(first);

    for (int j = 0; j < gen.size(); j++) {
      Task t = tasks.get(gen.get(j));
      CategoryThresholds th = t.thresholds().resolvedFor(steering);
      DecodeResult r = generated.get(j);
      out[gen.get(j)] =
          Verdict.generated(
              t.id(),
              r.text(),
              Judgement.of(scores.get(2 * j), th),
              Judgement.of(scores.get(2 * j + 1), th),
              new Decoding(0, r.promptTokens(), r.tokenIds().length, r.stats(), true));
    }

    List<Rewrite> pending = new ArrayList<>();
    for (int j = 0; j < mod.size(); j++) {
      int i = mod.get(j);
      Task t = tasks.get(i);
      CategoryThresholds th = t.thresholds().resolvedFor(steering);
      float threshold = th.of(steering);
      PrefixScores s = scores.get(2 * gen.size() + j);
      String reply = t.response();
      Judgement input = Judgement.of(s, th);
      List<ScorePoint> trajectory = ToxicPrefix.trajectory(s, reply);
      int flaggedAt = ToxicPrefix.firstFlaggedChar(s, threshold, reply);
      if (s.finalScore() < threshold) {
        out[i] =
            Verdict.allowed(
                t.id(),
                reply,
                input,
                new Evidence(reply.length(), null, flaggedAt, trajectory, false));
        continue;
      }
      int keep = ToxicPrefix.keptChars(s, threshold, reply);
      Evidence evidence =
          new Evidence(keep, new ReplacedSpan(keep, reply.length()), flaggedAt, trajectory, false);
      if (policy.mode() == ModerationMode.REPORT_ONLY) {
        // nothing is replaced: the whole reply is delivered as received
        out[i] =
            Verdict.reported(
                t.id(),
                reply,
                input,
                new Evidence(reply.length(), null, flaggedAt, trajectory, true));
      } else {
        pending.add(new Rewrite(i, t, th, threshold, reply.substring(0, keep), input, evidence));
      }
    }
    if (policy.repair() == FirstRepair.REDACT) {
      // the clean part of the reply first; only the rest goes on to the rewrites
      pending = redact(pending, out, false);
    }
    rewriteThenFallBack(pending, out);
    return List.of(out);
  }

  /**
   * A streamed reply to complete from a fixed prefix (what the user has already been shown).
   *
   * @param task the reply's task: prompt, rewrite decoding template, thresholds; its response is
   *     the reply as received so far
   * @param kept the prefix of the response that the delivered text must start with, unchanged
   * @param receivedScores the scores of every prefix of the response (BOS + response)
   */
  public record Repair(Task task, String kept, PrefixScores receivedScores) {}

  /**
   * Completes each reply from its kept prefix the way MODERATE rewrites a flagged reply: guided
   * regeneration (LM: prompt + kept; reward model: BOS + kept), accepted when the whole delivered
   * text scores below the threshold, up to {@link ModerationPolicy#maxAttempts()} attempts, then
   * the fallback (REDACTED: kept + mask; else BLOCKED: the fallback text, which does not start with
   * the kept prefix). Verdicts are in order; their input judgement is the received reply's.
   */
  public List<Verdict> repair(List<Repair> repairs) {
    Verdict[] out = new Verdict[repairs.size()];
    String steering = engine.steeringLabel();
    List<Rewrite> pending = new ArrayList<>();
    for (int i = 0; i < repairs.size(); i++) {
      Repair r = repairs.get(i);
      String reply = r.task().response();
      if (!reply.startsWith(r.kept())) {
        throw new IllegalArgumentException("kept text is not a prefix of " + r.task().id());
      }
      CategoryThresholds th = r.task().thresholds().resolvedFor(steering);
      float threshold = th.of(steering);
      PrefixScores s = r.receivedScores();
      int keep = r.kept().length();
      Evidence evidence =
          new Evidence(
              keep,
              new ReplacedSpan(keep, reply.length()),
              ToxicPrefix.firstFlaggedChar(s, threshold, reply),
              ToxicPrefix.trajectory(s, reply),
              false);
      pending.add(new Rewrite(i, r.task(), th, threshold, r.kept(), Judgement.of(s, th), evidence));
    }
    rewriteThenFallBack(pending, out);
    return List.of(out);
  }

  private DecodeRequest generateRequest(Task t) {
    return t.decoding()
        .withContexts(t.prompt(), "")
        .withMinNewTokens(policy.generateMinNewTokens());
  }

  /**
   * The guided rewrites of every pending reply, then the fallback for those that failed. A reply
   * that keeps nothing goes straight to the fallback unless {@link
   * ModerationPolicy#rewriteEmptyPrefix()}: its rewrite would be a new reply to the prompt written
   * by the LM alone, unrelated to what the reply said.
   */
  private void rewriteThenFallBack(List<Rewrite> pending, Verdict[] out) {
    List<Rewrite> failed = new ArrayList<>();
    List<Rewrite> rewritable = new ArrayList<>();
    for (Rewrite p : pending) {
      (isRewritten(p) ? rewritable : failed).add(p);
    }
    for (int attempt = 1; attempt <= policy.maxAttempts() && !rewritable.isEmpty(); attempt++) {
      rewritable = rewriteRound(rewritable, attempt, out);
    }
    failed.addAll(rewritable);
    fallback(failed, out); // one scoring call for both kinds
  }

  private boolean isRewritten(Rewrite p) {
    return policy.rewriteEmptyPrefix() || !p.kept.isEmpty();
  }

  /**
   * The failed rewrite attempts a reply reaching the fallback had: none if it was not rewritten.
   */
  private int attemptsBefore(Rewrite p) {
    return isRewritten(p) ? policy.maxAttempts() : 0;
  }

  /** One guided regeneration of every pending rewrite; returns those that failed. */
  private List<Rewrite> rewriteRound(List<Rewrite> pending, int attempt, Verdict[] out) {
    List<DecodeRequest> requests = new ArrayList<>();
    for (Rewrite p : pending) {
      DecodeRequest d = p.task.decoding();
      requests.add(
          d.withContexts(TextJoin.promptAndReply(p.task.prompt(), p.kept), p.kept)
              .withSeed(attemptSeed(d.seed(), attempt))
              .withMinNewTokens(policy.rewriteMinNewTokens()));
    }
    List<DecodeResult> results = engine.generate(requests);
    List<TextScoreRequest> toScore = new ArrayList<>();
    for (int j = 0; j < pending.size(); j++) {
      DecodeResult r = results.get(j);
      boolean stub = r.tokenIds().length < requests.get(j).minNewTokens() || r.text().isBlank();
      // a stub is a failed attempt whatever it scores: an empty text would score 0
      toScore.add(alone(stub ? "" : TextJoin.words(pending.get(j).kept, r.text())));
    }
    List<PrefixScores> scores = score(toScore);
    List<Rewrite> failed = new ArrayList<>();
    for (int j = 0; j < pending.size(); j++) {
      Rewrite p = pending.get(j);
      PrefixScores s = scores.get(j);
      DecodeResult r = results.get(j);
      String delivered = toScore.get(j).text();
      if (!delivered.isEmpty() && s.finalScore() < policy.acceptBelow(p.threshold)) {
        out[p.index] =
            Verdict.rewritten(
                p.task.id(),
                delivered,
                p.input,
                Judgement.of(s, p.thresholds),
                p.evidence,
                new Decoding(attempt, r.promptTokens(), r.tokenIds().length, r.stats(), true));
      } else {
        failed.add(p);
      }
    }
    return failed;
  }

  /**
   * The fallback for the rewrites that failed: REDACT (the longest of kept clause, kept sentences
   * and nothing, plus the mask, that scores below the margin), else BLOCK.
   */
  private void fallback(List<Rewrite> pending, Verdict[] out) {
    List<Rewrite> block =
        policy.fallback() == Fallback.REDACT ? redact(pending, out, true) : pending;
    if (block.isEmpty()) {
      return;
    }
    List<PrefixScores> scores =
        score(block.stream().map(p -> alone(policy.fallbackText())).toList());
    for (int j = 0; j < block.size(); j++) {
      Rewrite p = block.get(j);
      out[p.index] =
          Verdict.blocked(
              p.task.id(),
              policy.fallbackText(),
              p.input,
              Judgement.of(scores.get(j), p.thresholds),
              p.evidence,
              attemptsBefore(p));
    }
  }

  /**
   * Delivers, per reply, the longest redaction (kept clause, kept sentences, and as the fallback
   * the mask alone) that scores below the margin, all scored in one call; returns the replies none
   * of them fits.
   *
   * @param maskAlone whether this is the fallback: the mask alone may be delivered, and the
   *     verdicts record the failed attempts before (not so for the redaction tried before any
   *     rewrite)
   */
  private List<Rewrite> redact(List<Rewrite> pending, Verdict[] out, boolean maskAlone) {
    if (pending.isEmpty()) {
      return pending;
    }
    List<int[]> cuts = new ArrayList<>();
    List<TextScoreRequest> redactions = new ArrayList<>();
    for (Rewrite p : pending) {
      int[] c = redactionCuts(p.kept);
      if (!maskAlone) {
        c = java.util.Arrays.stream(c).filter(cut -> cut > 0).toArray();
      }
      cuts.add(c);
      for (int cut : c) {
        redactions.add(alone(redact(p.kept.substring(0, cut))));
      }
    }
    List<PrefixScores> scores = score(redactions);
    List<Rewrite> failed = new ArrayList<>();
    int k = 0;
    for (int j = 0; j < pending.size(); j++) {
      Rewrite p = pending.get(j);
      int[] c = cuts.get(j);
      int chosen = -1;
      for (int i = 0; i < c.length && chosen < 0; i++) {
        if (scores.get(k + i).finalScore() < policy.acceptBelow(p.threshold)) {
          chosen = i;
        }
      }
      if (chosen >= 0) {
        Evidence e = p.evidence;
        Evidence cutEvidence =
            c[chosen] == e.keptChars()
                ? e
                : new Evidence(
                    c[chosen],
                    new ReplacedSpan(c[chosen], e.replaced().end()),
                    e.firstFlaggedChar(),
                    e.trajectory(),
                    false);
        out[p.index] =
            Verdict.redacted(
                p.task.id(),
                redactions.get(k + chosen).text(),
                p.input,
                Judgement.of(scores.get(k + chosen), p.thresholds),
                cutEvidence,
                maskAlone ? attemptsBefore(p) : 0);
      } else {
        failed.add(p);
      }
      k += c.length;
    }
    return failed;
  }

  /** Where a redaction may cut the kept prefix, longest first, distinct: clause, sentence, 0. */
  static int[] redactionCuts(String kept) {
    int sentence = ToxicPrefix.sentenceStartAtOrBefore(kept, kept.length());
    return java.util.stream.IntStream.of(kept.length(), sentence, 0).distinct().toArray();
  }

  /** The kept prefix with the mask in place of the flagged span. */
  String redact(String kept) {
    if (kept.isEmpty()) {
      return policy.redactionMask();
    }
    return Character.isWhitespace(kept.charAt(kept.length() - 1))
        ? kept + policy.redactionMask()
        : kept + " " + policy.redactionMask();
  }

  /** A text scored as itself: the reward model sees BOS + the text, no context. */
  private static TextScoreRequest alone(String text) {
    return new TextScoreRequest("", text);
  }

  /** Scores in one engine call; empty texts are not sent (they score 0 on every label). */
  private List<PrefixScores> score(List<TextScoreRequest> requests) {
    List<TextScoreRequest> nonEmpty = requests.stream().filter(r -> !r.text().isEmpty()).toList();
    List<PrefixScores> scored = nonEmpty.isEmpty() ? List.of() : engine.scorePrefixes(nonEmpty);
    Map<String, Float> zeros = new LinkedHashMap<>();
    engine.labels().forEach(l -> zeros.put(l, 0f));
    PrefixScores empty = new PrefixScores(new int[0], new int[0], new float[0], zeros);
    List<PrefixScores> out = new ArrayList<>(requests.size());
    int k = 0;
    for (TextScoreRequest r : requests) {
      out.add(r.text().isEmpty() ? empty : scored.get(k++));
    }
    return out;
  }

  /** A different, reproducible random stream per attempt, so a retry is not the same text again. */
  static long attemptSeed(long seed, int attempt) {
    return seed ^ (0x9E3779B97F4A7C15L * attempt);
  }

  /** A MODERATE task being rewritten: the kept prefix and the original reply's judgement. */
  private record Rewrite(
      int index,
      Task task,
      CategoryThresholds thresholds,
      float threshold,
      String kept,
      Judgement input,
      Evidence evidence) {}
}
