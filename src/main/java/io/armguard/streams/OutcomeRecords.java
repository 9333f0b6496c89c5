package io.armguard.streams;

import io.armguard.decode.GuidedEngine;
import io.armguard.moderate.CategoryThresholds;
import io.armguard.moderate.Judgement;
import io.armguard.moderate.Task;
import io.armguard.moderate.Verdict;
import io.armguard.schema.Action;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.Completion;
import io.armguard.schema.DecodingInfo;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.GuidanceInfo;
import io.armguard.schema.ModelInfo;
import io.armguard.schema.SourceInfo;
import io.armguard.schema.Span;
import io.armguard.schema.Timings;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the two records every request ends as: its {@link Completion} and its {@link AuditRecord},
 * for a rejection (stage {@code validate}) or a moderator {@link Verdict} (stage {@code decode}).
 */
public final class OutcomeRecords {

  /** Version of the AuditRecord schema this code writes. */
  public static final int AUDIT_SCHEMA_VERSION = 3;

  private final String instanceId;
  private final float defaultThreshold;
  private final String moderationMode;

  /**
   * @param instanceId written to every audit record
   * @param defaultThreshold the threshold a request without its own would have been judged by
   * @param moderationMode {@code enforce} or {@code report-only}, written to every audit record
   */
  public OutcomeRecords(String instanceId, float defaultThreshold, String moderationMode) {
    this.instanceId = instanceId;
    this.defaultThreshold = defaultThreshold;
    this.moderationMode = moderationMode;
  }

  /** An enforcing service's records. */
  public OutcomeRecords(String instanceId, float defaultThreshold) {
    this(instanceId, defaultThreshold, "enforce");
  }

  /** A completion and audit pair, keyed by request id. */
  public record Outcome(String key, Completion completion, AuditRecord audit) {}

  /** REJECTED: the request never reached the decoder. */
  public Outcome rejected(
      GenerationRequest r, SourceInfo source, String stage, String reason, long now) {
    String id = r.getRequestId() == null ? "" : r.getRequestId();
    Completion c =
        Completion.newBuilder()
            .setRequestId(id)
            .setConversationId(r.getConversationId())
            .setMode(r.getMode())
            .setAction(Action.REJECTED)
            .setText("")
            .setToxicity(null)
            .setError(reason)
            .setCompletedAt(Instant.ofEpochMilli(now))
            .build();
    AuditRecord a =
        AuditRecord.newBuilder()
            .setRequestId(id)
            .setConversationId(r.getConversationId())
            .setSchemaVersion(AUDIT_SCHEMA_VERSION)
            .setStage(stage)
            .setMode(r.getMode())
            .setAction(Action.REJECTED)
            .setFlagged(false)
            .setReason(reason)
            .setThreshold(
                r.getToxicityThreshold() == null ? defaultThreshold : r.getToxicityThreshold())
            .setModerationMode(moderationMode)
            .setSource(source)
            .setInstanceId(instanceId)
            .setAttributes(r.getAttributes())
            .setDecidedAt(Instant.ofEpochMilli(now))
            .build();
    return new Outcome(id, c, a);
  }

  /** The moderator's decision for a buffered request. */
  public Outcome decided(
      GenerationRequest r,
      SourceInfo source,
      Task task,
      Verdict v,
      Timings timings,
      GuidedEngine engine,
      long now) {
    Action action = SchemaEnums.avro(v.action());
    // The completion judges what the request submitted for judgement: MODERATE the reply as
    // received, GENERATE the continuation (the only text it has).
    Judgement judged = task.kind() == Task.Kind.MODERATE ? v.input() : v.output();
    Completion c =
        Completion.newBuilder()
            .setRequestId(r.getRequestId())
            .setConversationId(r.getConversationId())
            .setMode(r.getMode())
            .setAction(action)
            .setText(v.text())
            .setToxicity(v.toxicity())
            .setPromptTokens(
                task.kind() == Task.Kind.GENERATE
                    ? v.decoding().promptTokens()
                    : engine.countTokens(r.getPrompt()))
            .setCompletionTokens(v.decoding().newTokens())
            .setLmModel(engine.lmId())
            .setRewardModel(engine.rewardId())
            .setError(null)
            .setFlagged(judged.flagged())
            .setCategories(new LinkedHashMap<>(judged.categories()))
            .setCategoryScores(new LinkedHashMap<>(judged.categoryScores()))
            .setCompletedAt(Instant.ofEpochMilli(now))
            .build();
    String steering = engine.steeringLabel() == null ? "" : engine.steeringLabel();
    CategoryThresholds thresholds = task.thresholds().resolvedFor(engine.steeringLabel());
    Verdict.Evidence e = v.evidence();
    AuditRecord.Builder a =
        AuditRecord.newBuilder()
            .setRequestId(r.getRequestId())
            .setConversationId(r.getConversationId())
            .setSchemaVersion(AUDIT_SCHEMA_VERSION)
            .setStage("decode")
            .setMode(r.getMode())
            .setAction(action)
            .setFlagged(v.flagged())
            .setReason(reason(v, thresholds.of(steering)))
            .setThreshold(thresholds.of(steering))
            .setInputScores(new LinkedHashMap<>(v.input().categoryScores()))
            .setOutputScores(new LinkedHashMap<>(v.output().categoryScores()))
            .setRewriteAttempts(v.decoding().attempts())
            .setModels(List.of(model("lm", engine.lmId()), model("reward", engine.rewardId())))
            .setTimings(timings)
            .setSource(source)
            .setInstanceId(instanceId)
            .setAttributes(r.getAttributes())
            .setModerationMode(moderationMode)
            .setSteeringLabel(steering)
            .setThresholds(new LinkedHashMap<>(thresholds.forLabels(engine.labels())))
            .setInputCategories(new LinkedHashMap<>(v.input().categories()))
            .setOutputCategories(new LinkedHashMap<>(v.output().categories()))
            .setOutputFlagged(v.output().flagged())
            .setKeptChars(e.keptChars())
            .setFirstFlaggedChar(e.firstFlaggedChar())
            .setScoreTrajectory(
                e.trajectory().stream()
                    .map(p -> new io.armguard.schema.ScorePoint(p.endChar(), p.score()))
                    .toList())
            .setDecidedAt(Instant.ofEpochMilli(now));
    if (v.replaced() != null) {
      a.setRewrittenSpan(new Span(v.replaced().begin(), v.replaced().end()));
    }
    if (v.decoding().decoded()) {
      var d = task.decoding();
      var stats = v.decoding().stats();
      a.setDecoding(
          new DecodingInfo(
              SchemaEnums.avro(d.strategy()),
              d.topK(),
              d.beta(),
              d.temperature(),
              d.seed(),
              d.maxNewTokens(),
              v.decoding().newTokens()));
      a.setGuidance(
          new GuidanceInfo(stats.steps(), stats.changedSteps(), (float) stats.meanRewardShift()));
    }
    return new Outcome(r.getRequestId(), c, a.build());
  }

  private static String reason(Verdict v, float threshold) {
    Verdict.Evidence e = v.evidence();
    String flaggedAs = "flagged " + flaggedLabels(v.input());
    return switch (v.action()) {
      case GENERATED -> v.flagged() ? "prompt " + flaggedAs : null;
      case ALLOWED ->
          e.reportOnly()
              ? "report-only: response scored at or above "
                  + threshold
                  + " from char "
                  + e.firstFlaggedChar()
                  + "; delivered unchanged"
              : v.flagged()
                  ? "response " + flaggedAs + "; its steering score is below " + threshold
                  : null;
      case REWRITTEN ->
          "response scored at or above "
              + threshold
              + " from char "
              + e.firstFlaggedChar()
              + "; replaced from char "
              + v.replaced().begin();
      case REDACTED ->
          "response still at or above "
              + threshold
              + " after "
              + v.decoding().attempts()
              + " rewrites; chars "
              + v.replaced().begin()
              + ".."
              + v.replaced().end()
              + " redacted";
      case BLOCKED ->
          "response still at or above "
              + threshold
              + " after "
              + v.decoding().attempts()
              + " rewrites; fallback text delivered";
    };
  }

  private static String flaggedLabels(Judgement j) {
    return j.categories().entrySet().stream()
        .filter(Map.Entry::getValue)
        .map(Map.Entry::getKey)
        .toList()
        .toString();
  }

  private static ModelInfo model(String role, String id) {
    int at = id.indexOf('@');
    return at < 0
        ? new ModelInfo(role, id, "")
        : new ModelInfo(role, id.substring(0, at), id.substring(at + 1));
  }
}
