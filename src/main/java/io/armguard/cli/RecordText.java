package io.armguard.cli;

import io.armguard.schema.AuditRecord;
import io.armguard.schema.Completion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * armguard's records as short human-readable lines, as {@code demo} and {@code tail} print them: a
 * completion as {@code [id] MODE ACTION toxicity=…: "text"} plus its category scores, an audit
 * record as one {@code key=value} summary, a dead letter as its position, origin and error. Text is
 * kept on one line and cut at 160 characters. Stateless.
 */
final class RecordText {

  private static final int MAX_TEXT = 160;

  private RecordText() {}

  /** The completion's line and, when it has category scores, a second, indented one. */
  static List<String> completion(Completion c) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "[%s] %s %s%s: %s",
            c.getRequestId(),
            c.getMode(),
            c.getAction(),
            c.getToxicity() == null
                ? ""
                : String.format(Locale.ROOT, " toxicity=%.3f", c.getToxicity()),
            c.getError() != null ? "error: " + c.getError() : quote(c.getText())));
    if (!c.getCategoryScores().isEmpty()) {
      StringBuilder cats = new StringBuilder("    categories:");
      c.getCategoryScores()
          .forEach(
              (label, score) ->
                  cats.append(
                      String.format(
                          Locale.ROOT,
                          " %s=%.3f%s",
                          label,
                          score,
                          Boolean.TRUE.equals(c.getCategories().get(label)) ? "(flagged)" : "")));
      lines.add(cats.toString());
    }
    return lines;
  }

  /** The audit record's decision in one line: stage, flag, span, decoding, timings, reason. */
  static String auditSummary(AuditRecord a) {
    StringBuilder s = new StringBuilder("stage=").append(a.getStage());
    s.append(" flagged=").append(a.getFlagged());
    if (a.getFlagged() && a.getFirstFlaggedChar() >= 0) {
      s.append(" first_flagged_char=").append(a.getFirstFlaggedChar());
    }
    if (a.getRewrittenSpan() != null) {
      s.append(" replaced=[")
          .append(a.getRewrittenSpan().getBegin())
          .append(',')
          .append(a.getRewrittenSpan().getEnd())
          .append(')');
    }
    if (a.getRewriteAttempts() > 0) {
      s.append(" attempts=").append(a.getRewriteAttempts());
    }
    if (a.getDecoding() != null) {
      s.append(" strategy=").append(a.getDecoding().getStrategy());
      s.append(" tokens=").append(a.getDecoding().getNewTokens());
    }
    if (a.getGuidance() != null) {
      s.append(" guided_changes=").append(a.getGuidance().getChangedSteps());
    }
    if (a.getTimings().getBatchSize() > 0) {
      s.append(" batch=").append(a.getTimings().getBatchSize());
      s.append(" wait_ms=").append(a.getTimings().getQueueWaitMs());
      s.append(" decode_ms=").append(a.getTimings().getDecodeMs());
    }
    if (a.getReason() != null) {
      s.append(" reason=\"").append(a.getReason()).append('"');
    }
    return s.toString();
  }

  /** An audit record on its own: {@code [id] MODE ACTION} and its summary. */
  static String audit(AuditRecord a) {
    return "["
        + a.getRequestId()
        + "] "
        + a.getMode()
        + " "
        + a.getAction()
        + " "
        + auditSummary(a);
  }

  /**
   * A dead letter: where it is, what it was (key, source topic-partition@offset from Kafka's
   * KIP-1034 headers) and why, then its value (text when it is UTF-8, else its size).
   */
  static List<String> deadLetter(ConsumerRecord<byte[], byte[]> r) {
    String source = header(r, "__streams.errors.topic");
    String origin =
        source == null
            ? ""
            : " from "
                + source
                + "-"
                + header(r, "__streams.errors.partition")
                + "@"
                + header(r, "__streams.errors.offset");
    String exception = header(r, "__streams.errors.exception");
    String message = header(r, "__streams.errors.message");
    return List.of(
        String.format(
            Locale.ROOT,
            "[%s-%d@%d] key=%s%s: %s%s",
            r.topic(),
            r.partition(),
            r.offset(),
            r.key() == null ? "(none)" : quote(Utf8Text.decode(r.key())),
            origin,
            exception == null ? "(no exception header)" : exception,
            message == null ? "" : ": " + message),
        "    value: " + value(r.value()));
  }

  private static String value(byte[] v) {
    if (v == null) {
      return "(null)";
    }
    String text = Utf8Text.decode(v);
    return text == null ? "(" + v.length + " bytes, not UTF-8)" : quote(text);
  }

  /** A header's value as UTF-8 text, or null when absent. */
  static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  static String quote(String text) {
    if (text == null) {
      return "(not UTF-8)";
    }
    String oneLine = text.replace("\n", "\\n");
    return "\""
        + (oneLine.length() > MAX_TEXT ? oneLine.substring(0, MAX_TEXT - 3) + "..." : oneLine)
        + "\"";
  }
}
