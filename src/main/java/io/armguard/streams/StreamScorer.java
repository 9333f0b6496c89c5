package io.armguard.streams;

import io.armguard.decode.GuidedEngine;
import io.armguard.decode.PrefixScores;
import io.armguard.decode.StreamScores;
import io.armguard.decode.StreamText;
import io.armguard.moderate.BatchModerator;
import io.armguard.moderate.HoldBack;
import io.armguard.moderate.ModerationMode;
import io.armguard.moderate.ModerationPolicy;
import io.armguard.moderate.Task;
import io.armguard.moderate.Verdict;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The model's part of following reply streams: scores a batch of stream snapshots in one {@link
 * GuidedEngine#scorePrefixes} call (each text alone, BOS + text, as MODERATE scores a reply),
 * applies {@link HoldBack}, and, under {@code stream.on.flag=rewrite}, completes the flagged ones
 * from their released text with {@link BatchModerator#repair} (one generate call per round for the
 * batch). Runs on the decode worker (or the stream thread when synchronous); touches no Kafka
 * state. Not thread-safe: one per processor.
 *
 * <p>Each snapshot's whole text is handed to {@link GuidedEngine#scoreStreams}: the engine may keep
 * the reward model's state per stream (the default engine does, for ARM: only the new and the
 * re-tokenized tail tokens run) but the result is that of scoring the text afresh, so the store's
 * text stays the only truth and a restarted or rebalanced task needs nothing but it.
 */
final class StreamScorer {

  /**
   * What the processor sends: a stream as it stood when the batch was formed.
   *
   * @param id the stream id
   * @param prompt the user turn (context of a rewrite; may be empty)
   * @param text the reply as followed so far
   * @param released chars of {@code text} already released
   * @param complete whether {@code text} is the whole reply
   * @param options the stream's hold-back, on-flag and threshold
   */
  record Snapshot(
      String id,
      String prompt,
      String text,
      int released,
      boolean complete,
      StreamOptions options) {}

  /**
   * What comes back for a snapshot.
   *
   * @param snapshot the snapshot scored
   * @param scores its scores (null when it failed)
   * @param flagStep the release rule under the threshold (flags a toxic turn)
   * @param releaseStep the step to act on: {@code flagStep}, or in report-only mode the rule with
   *     no threshold (flags recorded, nothing withheld)
   * @param repair the completed reply under {@code rewrite} when flagged, else null
   * @param error why it could not be scored, else null
   */
  record Result(
      Snapshot snapshot,
      PrefixScores scores,
      HoldBack.Step flagStep,
      HoldBack.Step releaseStep,
      Verdict repair,
      String error) {

    static Result failed(Snapshot s, String error) {
      return new Result(s, null, null, null, null, error);
    }
  }

  private final GuidedEngine engine;
  private final BatchModerator moderator;
  private final boolean reportOnly;
  private final float threshold;
  private final Function<Snapshot, Task> taskOf;

  /**
   * @param threshold the configured steering-label threshold (a stream may carry its own)
   * @param taskOf the MODERATE task of a snapshot (decoding template, thresholds) for a rewrite
   */
  StreamScorer(
      GuidedEngine engine,
      ModerationPolicy policy,
      float threshold,
      Function<Snapshot, Task> taskOf) {
    this.engine = engine;
    this.moderator = new BatchModerator(engine, policy);
    this.reportOnly = policy.mode() == ModerationMode.REPORT_ONLY;
    this.threshold = threshold;
    this.taskOf = taskOf;
  }

  /**
   * Scores every snapshot; if the batch call fails, one by one, so one bad text fails alone.
   *
   * @param ended streams that ended since the last call: the engine may drop what it keeps for them
   */
  List<Result> score(List<Snapshot> batch, Collection<String> ended) {
    try {
      return scoreAll(batch, ended);
    } catch (RuntimeException e) {
      if (batch.size() == 1) {
        return List.of(Result.failed(batch.get(0), "scoring failed: " + e));
      }
      List<Result> out = new ArrayList<>();
      for (Snapshot s : batch) {
        out.addAll(score(List.of(s), List.of()));
      }
      return out;
    }
  }

  private List<Result> scoreAll(List<Snapshot> batch, Collection<String> ended) {
    List<Snapshot> nonEmpty = batch.stream().filter(s -> !s.text().isEmpty()).toList();
    List<PrefixScores> scored =
        nonEmpty.isEmpty()
            ? List.of()
            : engine
                .scoreStreams(
                    nonEmpty.stream().map(s -> new StreamText(s.id(), s.text())).toList(), ended)
                .stream()
                .map(StreamScores::scores)
                .toList();
    Map<String, PrefixScores> byId = new LinkedHashMap<>();
    for (int i = 0; i < nonEmpty.size(); i++) {
      byId.put(nonEmpty.get(i).id(), scored.get(i));
    }
    List<Result> out = new ArrayList<>();
    List<BatchModerator.Repair> repairs = new ArrayList<>();
    List<Integer> repairAt = new ArrayList<>();
    for (Snapshot s : batch) {
      PrefixScores p = byId.getOrDefault(s.id(), empty());
      StreamOptions o = s.options();
      float th = o.threshold() == null ? threshold : o.threshold();
      HoldBack.Step flag =
          HoldBack.assess(s.text(), p, s.released(), s.complete(), th, o.holdbackTokens());
      HoldBack.Step release =
          reportOnly
              ? HoldBack.assess(
                  s.text(),
                  p,
                  s.released(),
                  s.complete(),
                  Float.POSITIVE_INFINITY,
                  o.holdbackTokens())
              : flag;
      if (!reportOnly && flag.flag() != null && o.onFlag() == StreamSettings.OnFlag.REWRITE) {
        String kept = s.text().substring(0, flag.flag().clauseStart());
        repairs.add(new BatchModerator.Repair(taskOf.apply(s), kept, p));
        repairAt.add(out.size());
      }
      out.add(new Result(s, p, flag, release, null, null));
    }
    if (!repairs.isEmpty()) {
      List<Verdict> verdicts = moderator.repair(repairs);
      for (int j = 0; j < verdicts.size(); j++) {
        Result r = out.get(repairAt.get(j));
        out.set(
            repairAt.get(j),
            new Result(
                r.snapshot(), r.scores(), r.flagStep(), r.releaseStep(), verdicts.get(j), null));
      }
    }
    return out;
  }

  private PrefixScores empty() {
    Map<String, Float> zeros = new LinkedHashMap<>();
    engine.labels().forEach(l -> zeros.put(l, 0f));
    return new PrefixScores(new int[0], new int[0], new float[0], zeros);
  }
}
