package io.armguard.streams;

import io.armguard.decode.GuidedEngine;
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
import io.armguard.schema.Strategy;
import io.armguard.schema.Timings;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;

/**
 * Builds the two records every request ends as: its {@link Completion} and its {@link AuditRecord},
 * for a rejection (stage {@code validate}) or a moderator {@link Verdict} (stage {@code decode}).
 */
public final class OutcomeRecords {

  /** Version of the AuditRecord schema this code writes. */
  public static final int AUDIT_SCHEMA_VERSION = 1;

  private final String instanceId;
  private final float defaultThreshold;

  /**
   * @param instanceId written to every audit record
   * @param defaultThreshold the threshold a request without its own would have been judged by
   */
  public OutcomeRecords(String instanceId, float defaultThreshold) {
    this.instanceId = instanceId;
    this.defaultThreshold = defaultThreshold;
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
    Action action = Action.valueOf(v.action().name());
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
                    ? v.promptTokens()
                    : engine.countTokens(r.getPrompt()))
            .setCompletionTokens(v.newTokens())
            .setLmModel(engine.lmId())
            .setRewardModel(engine.rewardId())
            .setError(null)
            .setCompletedAt(Instant.ofEpochMilli(now))
            .build();
    AuditRecord.Builder a =
        AuditRecord.newBuilder()
            .setRequestId(r.getRequestId())
            .setConversationId(r.getConversationId())
            .setSchemaVersion(AUDIT_SCHEMA_VERSION)
            .setStage("decode")
            .setMode(r.getMode())
            .setAction(action)
            .setFlagged(v.flagged())
            .setReason(reason(v, task))
            .setThreshold(task.threshold())
            .setInputScores(new HashMap<>(v.inputScores()))
            .setOutputScores(new HashMap<>(v.outputScores()))
            .setRewriteAttempts(v.attempts())
            .setModels(List.of(model("lm", engine.lmId()), model("reward", engine.rewardId())))
            .setTimings(timings)
            .setSource(source)
            .setInstanceId(instanceId)
            .setAttributes(r.getAttributes())
            .setDecidedAt(Instant.ofEpochMilli(now));
    if (v.replaced() != null) {
      a.setRewrittenSpan(new Span(v.replaced().begin(), v.replaced().end()));
    }
    if (v.decoded()) {
      var d = task.decoding();
      a.setDecoding(
          new DecodingInfo(
              Strategy.valueOf(d.strategy().name()),
              d.topK(),
              d.beta(),
              d.temperature(),
              d.seed(),
              d.maxNewTokens(),
              v.newTokens()));
      a.setGuidance(
          new GuidanceInfo(
              v.stats().steps(), v.stats().changedSteps(), (float) v.stats().meanRewardShift()));
    }
    return new Outcome(r.getRequestId(), c, a.build());
  }

  private static String reason(Verdict v, Task task) {
    return switch (v.action()) {
      case GENERATED -> v.flagged() ? "prompt scored at or above the threshold" : null;
      case ALLOWED -> null;
      case REWRITTEN ->
          "response scored at or above "
              + task.threshold()
              + "; replaced from char "
              + v.replaced().begin();
      case BLOCKED ->
          "response still at or above " + task.threshold() + " after " + v.attempts() + " rewrites";
    };
  }

  private static ModelInfo model(String role, String id) {
    int at = id.indexOf('@');
    return at < 0
        ? new ModelInfo(role, id, "")
        : new ModelInfo(role, id.substring(0, at), id.substring(at + 1));
  }
}
