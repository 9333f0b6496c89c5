package io.armguard.streams;

import io.armguard.decode.GuidedEngine;
import io.armguard.moderate.CategoryThresholds;
import io.armguard.schema.Action;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.ModelInfo;
import io.armguard.schema.ReleasedChunk;
import io.armguard.schema.Span;
import io.armguard.schema.StreamInfo;
import io.armguard.schema.StreamState;
import io.armguard.schema.Timings;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds what a reply stream ends as: its released chunks on the output topic and one {@link
 * AuditRecord} (stage {@code stream}, request_id = stream_id, mode MODERATE) when it ends.
 * Thread-safe.
 */
final class StreamRecords {

  /** The audit stage of a streamed reply. */
  static final String STAGE = "stream";

  private final String instanceId;
  private final String moderationMode;
  private final StreamSettings settings;
  private final CategoryThresholds thresholds;

  /**
   * @param thresholds the configured per-category thresholds (a stream may override the steering
   *     label's with its own {@code toxicity_threshold})
   */
  StreamRecords(
      String instanceId,
      String moderationMode,
      StreamSettings settings,
      CategoryThresholds thresholds) {
    this.instanceId = instanceId;
    this.moderationMode = moderationMode;
    this.settings = settings;
    this.thresholds = thresholds;
  }

  /** A released chunk that is not the last. */
  static ReleasedChunk chunk(StreamState s, String text, long now) {
    return ReleasedChunk.newBuilder()
        .setStreamId(s.getStreamId())
        .setSeq(s.getNextOutSeq())
        .setText(text)
        .setReleasedAt(Instant.ofEpochMilli(now))
        .build();
  }

  /** The last released chunk: the decision and the received reply's categories. */
  ReleasedChunk last(StreamState s, String text, String steering, long now) {
    Map<String, Boolean> categories = thresholdsOf(s, steering).categories(s.getInputScores());
    return ReleasedChunk.newBuilder()
        .setStreamId(s.getStreamId())
        .setSeq(s.getNextOutSeq())
        .setText(text)
        .setFinal$(true)
        .setAction(action(s))
        .setTruncated(s.getTruncated())
        .setReason(reason(s))
        .setFlagged(categories.containsValue(Boolean.TRUE))
        .setCategories(new LinkedHashMap<>(categories))
        .setCategoryScores(new LinkedHashMap<>(s.getInputScores()))
        .setReleasedAt(Instant.ofEpochMilli(now))
        .build();
  }

  /** The stream's one audit record, once it has ended. */
  AuditRecord audit(StreamState s, GuidedEngine engine, long now) {
    String steering = engine.steeringLabel() == null ? "" : engine.steeringLabel();
    CategoryThresholds th = thresholdsOf(s, engine.steeringLabel());
    StreamOptions options = StreamOptions.of(s, settings);
    Map<String, Boolean> in = th.categories(s.getInputScores());
    Map<String, Boolean> out = th.categories(s.getOutputScores());
    Action action = action(s);
    AuditRecord.Builder a =
        AuditRecord.newBuilder()
            .setRequestId(s.getStreamId())
            .setSchemaVersion(OutcomeRecords.AUDIT_SCHEMA_VERSION)
            .setStage(STAGE)
            .setMode(io.armguard.schema.Mode.MODERATE)
            .setAction(action)
            .setFlagged(in.containsValue(Boolean.TRUE))
            .setReason(reason(s))
            .setThreshold(th.of(steering))
            .setInputScores(new LinkedHashMap<>(s.getInputScores()))
            .setOutputScores(new LinkedHashMap<>(s.getOutputScores()))
            .setRewriteAttempts(s.getRewriteAttempts())
            .setModels(List.of(model("lm", engine.lmId()), model("reward", engine.rewardId())))
            .setTimings(new Timings(0L, 0, 0L))
            .setSource(s.getSource())
            .setInstanceId(instanceId)
            .setAttributes(s.getAttributes())
            .setModerationMode(moderationMode)
            .setSteeringLabel(steering)
            .setThresholds(new LinkedHashMap<>(th.forLabels(engine.labels())))
            .setInputCategories(new LinkedHashMap<>(in))
            .setOutputCategories(new LinkedHashMap<>(out))
            .setOutputFlagged(out.containsValue(Boolean.TRUE))
            .setKeptChars(s.getReleasedChars())
            .setFirstFlaggedChar(s.getFirstFlaggedChar())
            .setStream(
                StreamInfo.newBuilder()
                    .setChunksIn(s.getChunksIn())
                    .setChunksOut((int) s.getNextOutSeq())
                    .setDuplicateChunks(s.getDuplicateChunks())
                    .setDroppedChunks(s.getDroppedChunks())
                    .setRedactions(s.getRedactions())
                    .setHoldbackTokens(options.holdbackTokens())
                    .setOnFlag(options.onFlag().configName())
                    .setTruncated(s.getTruncated())
                    .setEndReason(s.getEndReason() == null ? "" : s.getEndReason())
                    .setReleasedChars(s.getReleasedChars())
                    .build())
            .setDecidedAt(Instant.ofEpochMilli(now));
    if (action == Action.REWRITTEN || action == Action.BLOCKED) {
      a.setRewrittenSpan(
          new Span(s.getReleasedChars(), Math.max(s.getReleasedChars(), receivedChars(s))));
    }
    return a.build();
  }

  /** The configured thresholds with the stream's own steering-label threshold, if it set one. */
  private CategoryThresholds thresholdsOf(StreamState s, String steering) {
    return thresholds.withRequestThreshold(s.getToxicityThreshold()).resolvedFor(steering);
  }

  private static int receivedChars(StreamState s) {
    return s.getText().length();
  }

  static Action action(StreamState s) {
    return s.getAction() == null ? Action.ALLOWED : s.getAction();
  }

  private static String reason(StreamState s) {
    String end = s.getEndReason();
    String flagged =
        s.getFirstFlaggedChar() < 0
            ? ""
            : "reply scored at or above the threshold from char " + s.getFirstFlaggedChar() + "; ";
    return switch (action(s)) {
      case REWRITTEN -> flagged + "completed by armguard after char " + s.getReleasedChars();
      case REDACTED -> flagged + s.getRedactions() + " span(s) redacted" + ending(s);
      case BLOCKED -> flagged + "fallback text after char " + s.getReleasedChars() + ending(end);
      case REJECTED -> s.getRejection();
      default ->
          s.getTruncated()
              ? "truncated (" + end + "): unreleased tail withheld"
              : s.getFirstFlaggedChar() >= 0
                  ? "report-only: " + flagged + "delivered unchanged"
                  : null;
    };
  }

  private static String ending(StreamState s) {
    return s.getTruncated() ? "; truncated (" + s.getEndReason() + ")" : "";
  }

  private static String ending(String end) {
    return end == null || end.equals("blocked") ? "" : " (" + end + ")";
  }

  private static ModelInfo model(String role, String id) {
    int at = id.indexOf('@');
    return at < 0
        ? new ModelInfo(role, id, "")
        : new ModelInfo(role, id.substring(0, at), id.substring(at + 1));
  }
}
