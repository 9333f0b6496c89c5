package io.armguard.moderate;

import io.armguard.decode.DecodeRequest;
import io.armguard.decode.DecodeResult;
import io.armguard.decode.GuidanceStats;
import io.armguard.decode.GuidedEngine;
import io.armguard.decode.PrefixScores;
import io.armguard.decode.TextScoreRequest;
import io.armguard.moderate.Verdict.Action;
import io.armguard.moderate.Verdict.ReplacedSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * GENERATE and MODERATE over a {@link GuidedEngine}, a whole micro-batch at a time (one generate
 * call and one scoring call per round, never one per request).
 *
 * <p>GENERATE: guided continuation of the prompt, then the continuation is scored (given the
 * prompt) and the prompt itself is scored (the audit's input scores). MODERATE: the response is
 * scored prefix by prefix given the prompt; below the threshold it is ALLOWED unchanged. Otherwise
 * the longest prefix whose every prefix score stays below the threshold is kept, the rest is
 * regenerated with the task's guided decoding (prompt + kept prefix as context) and the result is
 * re-scored; after {@link ModerationPolicy#maxAttempts()} failed attempts it is BLOCKED and the
 * fallback text is delivered.
 *
 * <p>Not thread-safe: one instance per engine (per stream thread).
 */
public final class BatchModerator {

  private static final PrefixScores EMPTY =
      new PrefixScores(new int[0], new int[0], new float[0], Map.of());

  private final GuidedEngine engine;
  private final ModerationPolicy policy;

  public BatchModerator(GuidedEngine engine, ModerationPolicy policy) {
    this.engine = engine;
    this.policy = policy;
  }

  /** Decides every task; verdicts are in task order. */
  public List<Verdict> decide(List<Task> tasks) {
    Verdict[] out = new Verdict[tasks.size()];
    List<Integer> gen = new ArrayList<>();
    List<Integer> mod = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      (tasks.get(i).kind() == Task.Kind.GENERATE ? gen : mod).add(i);
    }
    List<DecodeResult> generated =
        gen.isEmpty()
            ? List.of()
            : engine.generate(gen.stream().map(i -> tasks.get(i).decoding()).toList());

    // One scoring pass for everything known now: GENERATE prompt + continuation, MODERATE response.
    List<TextScoreRequest> first = new ArrayList<>();
    for (int j = 0; j < gen.size(); j++) {
      Task t = tasks.get(gen.get(j));
      first.add(new TextScoreRequest("", t.prompt()));
      first.add(new TextScoreRequest(t.prompt(), generated.get(j).text()));
    }
    for (int i : mod) {
      first.add(new TextScoreRequest(tasks.get(i).prompt(), tasks.get(i).response()));
    }
    List<PrefixScores> scores = score(first);

    for (int j = 0; j < gen.size(); j++) {
      Task t = tasks.get(gen.get(j));
      PrefixScores in = scores.get(2 * j);
      PrefixScores res = scores.get(2 * j + 1);
      DecodeResult r = generated.get(j);
      out[gen.get(j)] =
          new Verdict(
              t.id(),
              Action.GENERATED,
              r.text(),
              res.finalScore(),
              in.finalScore() >= t.threshold(),
              in.finalLabelScores(),
              res.finalLabelScores(),
              null,
              0,
              r.promptTokens(),
              r.tokenIds().length,
              r.stats(),
              true);
    }

    List<Rewrite> pending = new ArrayList<>();
    for (int j = 0; j < mod.size(); j++) {
      int i = mod.get(j);
      Task t = tasks.get(i);
      PrefixScores s = scores.get(2 * gen.size() + j);
      if (s.finalScore() < t.threshold()) {
        out[i] =
            new Verdict(
                t.id(),
                Action.ALLOWED,
                t.response(),
                s.finalScore(),
                false,
                s.finalLabelScores(),
                s.finalLabelScores(),
                null,
                0,
                0,
                0,
                GuidanceStats.NONE,
                false);
      } else {
        int keep = ToxicPrefix.keptChars(s, t.threshold(), t.response().length());
        pending.add(new Rewrite(i, t, t.response().substring(0, keep), s));
      }
    }
    for (int attempt = 1; attempt <= policy.maxAttempts() && !pending.isEmpty(); attempt++) {
      pending = rewriteRound(pending, attempt, out);
    }
    block(pending, out);
    return List.of(out);
  }

  /** One guided regeneration of every pending rewrite; returns those still toxic. */
  private List<Rewrite> rewriteRound(List<Rewrite> pending, int attempt, Verdict[] out) {
    List<DecodeRequest> requests = new ArrayList<>();
    for (Rewrite p : pending) {
      DecodeRequest d = p.task.decoding();
      requests.add(
          new DecodeRequest(
              d.id(),
              p.task.prompt() + p.kept,
              d.maxNewTokens(),
              d.topK(),
              d.temperature(),
              attemptSeed(d.seed(), attempt),
              d.strategy(),
              d.beta(),
              d.direction()));
    }
    List<DecodeResult> results = engine.generate(requests);
    List<TextScoreRequest> toScore = new ArrayList<>();
    for (int j = 0; j < pending.size(); j++) {
      Rewrite p = pending.get(j);
      toScore.add(new TextScoreRequest(p.task.prompt(), p.kept + results.get(j).text()));
    }
    List<PrefixScores> scores = score(toScore);
    List<Rewrite> still = new ArrayList<>();
    for (int j = 0; j < pending.size(); j++) {
      Rewrite p = pending.get(j);
      PrefixScores s = scores.get(j);
      DecodeResult r = results.get(j);
      if (s.finalScore() < p.task.threshold()) {
        out[p.index] =
            new Verdict(
                p.task.id(),
                Action.REWRITTEN,
                toScore.get(j).text(),
                s.finalScore(),
                true,
                p.input.finalLabelScores(),
                s.finalLabelScores(),
                p.span(),
                attempt,
                r.promptTokens(),
                r.tokenIds().length,
                r.stats(),
                true);
      } else {
        still.add(p);
      }
    }
    return still;
  }

  private void block(List<Rewrite> pending, Verdict[] out) {
    if (pending.isEmpty()) {
      return;
    }
    List<PrefixScores> scores =
        score(
            pending.stream()
                .map(p -> new TextScoreRequest(p.task.prompt(), policy.fallbackText()))
                .toList());
    for (int j = 0; j < pending.size(); j++) {
      Rewrite p = pending.get(j);
      out[p.index] =
          new Verdict(
              p.task.id(),
              Action.BLOCKED,
              policy.fallbackText(),
              scores.get(j).finalScore(),
              true,
              p.input.finalLabelScores(),
              scores.get(j).finalLabelScores(),
              p.span(),
              policy.maxAttempts(),
              0,
              0,
              GuidanceStats.NONE,
              policy.maxAttempts() > 0);
    }
  }

  /** Scores in one engine call; empty texts are not sent (their scores are empty). */
  private List<PrefixScores> score(List<TextScoreRequest> requests) {
    List<TextScoreRequest> nonEmpty = requests.stream().filter(r -> !r.text().isEmpty()).toList();
    List<PrefixScores> scored = nonEmpty.isEmpty() ? List.of() : engine.scorePrefixes(nonEmpty);
    List<PrefixScores> out = new ArrayList<>(requests.size());
    int k = 0;
    for (TextScoreRequest r : requests) {
      out.add(r.text().isEmpty() ? EMPTY : scored.get(k++));
    }
    return out;
  }

  /** A different, reproducible random stream per attempt, so a retry is not the same text again. */
  static long attemptSeed(long seed, int attempt) {
    return seed ^ (0x9E3779B97F4A7C15L * attempt);
  }

  /** A MODERATE task being rewritten: the kept prefix and the original response's scores. */
  private record Rewrite(int index, Task task, String kept, PrefixScores input) {
    ReplacedSpan span() {
      return new ReplacedSpan(kept.length(), task.response().length());
    }
  }
}
