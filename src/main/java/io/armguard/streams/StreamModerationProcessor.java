package io.armguard.streams;

import io.armguard.moderate.HoldBack;
import io.armguard.moderate.Verdict;
import io.armguard.schema.Action;
import io.armguard.schema.ReleasedChunk;
import io.armguard.schema.ReplyChunk;
import io.armguard.schema.SourceInfo;
import io.armguard.schema.StreamState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows chatbot replies that arrive as chunks ({@link ReplyChunk}, keyed by stream id) and
 * releases them to the user ({@link ReleasedChunk}) a bounded hold-back behind the newest scored
 * token, at word boundaries ({@link HoldBack}); a reply that turns toxic is completed by armguard,
 * redacted or ended with the fallback text ({@code stream.on.flag}). One {@code AuditRecord} per
 * stream when it ends.
 *
 * <p>State: one {@link StreamState} per stream in a changelogged store (text followed, released
 * chars, next output seq, status). Released chunks are forwarded and the released offset is put in
 * the store on the stream thread, in the same exactly-once transaction, so after a crash the
 * restored store says exactly what is out: nothing is released twice or retracted, and scoring
 * (deterministic for the same text) picks up where the committed state stands.
 *
 * <p>Scoring is batched like {@link MicroBatchProcessor}: streams that received text wait until
 * {@code batch.size} of them do or the oldest has waited {@code batch.max.delay.ms}, then one
 * {@link StreamScorer} job scores them all on the stream thread's decode worker (one job per task
 * at a time; a stream's later chunks wait for the next job). Results are applied on the stream
 * thread against the stream's current state: text only grows while a job runs, so a snapshot's
 * scores still hold for its prefix. A wall-clock punctuator applies results, closes idle streams
 * (truncated) and forgets closed ones after {@code stream.closed.retention.ms}.
 */
final class StreamModerationProcessor implements Processor<String, ReplyChunk, String, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(StreamModerationProcessor.class);

  private final String storeName;
  private final StreamSettings settings;
  private final EnginePool engines;
  private final StreamScorerFactory scorers;
  private final StreamRecords records;
  private final StreamMetrics metrics;
  private final LongSupplier wallClock;

  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, StreamState> store;
  private DecodeLane lane;
  private StreamScorer scorer;

  /** Streams with text not yet scored: id → wall-clock ms since it waits. */
  private final Map<String, Long> dirty = new LinkedHashMap<>();

  /** Streams in the job on the worker. */
  private final Set<String> scoring = new HashSet<>();

  /** Last input activity of OPEN and REPAIRED streams (idle timeout). */
  private final Map<String, Long> active = new HashMap<>();

  /** Streams closed since the last job: the engine may free what it keeps for them. */
  private final Set<String> endedSinceLastJob = new HashSet<>();

  /** Close time of CLOSED streams (retention). */
  private final Map<String, Long> closedAt = new HashMap<>();

  private final BlockingQueue<Scored> results = new LinkedBlockingQueue<>();
  private volatile int incarnation;
  private volatile boolean closed;

  /** A finished job: its results and the incarnation that submitted it. */
  private record Scored(List<StreamScorer.Result> results, int incarnation) {}

  StreamModerationProcessor(
      String storeName,
      StreamSettings settings,
      EnginePool engines,
      StreamScorerFactory scorers,
      StreamRecords records,
      StreamMetrics metrics,
      LongSupplier wallClock) {
    this.storeName = storeName;
    this.settings = settings;
    this.engines = engines;
    this.scorers = scorers;
    this.records = records;
    this.metrics = metrics;
    this.wallClock = wallClock;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    incarnation++; // a revived task re-inits this instance: results of the old one are dropped
    closed = false;
    dirty.clear();
    scoring.clear();
    active.clear();
    closedAt.clear();
    endedSinceLastJob.clear();
    results.clear();
    store = context.getStateStore(storeName);
    lane = engines.laneForCurrentThread();
    scorer = scorers.create(lane.engine());
    recover();
    context.schedule(
        MicroBatchProcessor.punctuationInterval(settings.maxDelayMs(), settings.async()),
        PunctuationType.WALL_CLOCK_TIME,
        t -> tick());
  }

  /** Rebuilds the in-memory indexes from the restored store. */
  private void recover() {
    long now = wallClock.getAsLong();
    try (KeyValueIterator<String, StreamState> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, StreamState> kv = it.next();
        StreamState s = kv.value;
        long last = s.getLastActivityAt().toEpochMilli();
        switch (StreamStatus.of(s.getStatus())) {
          case CLOSED -> closedAt.put(kv.key, last);
          case REPAIRED -> active.put(kv.key, last);
          case OPEN -> {
            active.put(kv.key, last);
            if (s.getText().length() > s.getReleasedChars() || s.getFinalReceived()) {
              dirty.put(kv.key, now);
            }
          }
        }
      }
    }
    if (!active.isEmpty()) {
      LOG.info(
          "task {}: {} open streams recovered from the store", context.taskId(), active.size());
    }
  }

  @Override
  public void process(Record<String, ReplyChunk> record) {
    applyResults();
    ReplyChunk c = record.value();
    if (c.getStreamId() == null || c.getStreamId().isEmpty() || c.getSeq() < 0) {
      // the processing handler writes it to the dead-letter topic with this message
      throw new IllegalArgumentException(
          "ReplyChunk needs a stream_id and a seq >= 0, got stream_id '"
              + c.getStreamId()
              + "' seq "
              + c.getSeq());
    }
    long now = wallClock.getAsLong();
    String id = c.getStreamId();
    StreamState s = store.get(id);
    if (s == null) {
      s = open(id, now);
    }
    ChunkSequencer.Outcome outcome = ChunkSequencer.accept(s, c, settings.maxPendingChunks());
    metrics.chunk(outcome);
    if (outcome == ChunkSequencer.Outcome.LATE) {
      return; // the stream's audit is written; nothing to change
    }
    s.setLastActivityAt(Instant.ofEpochMilli(now));
    active.put(id, now);
    StreamStatus status = StreamStatus.of(s.getStatus());
    Optional<String> rejected =
        c.getSeq() == 0 && outcome == ChunkSequencer.Outcome.APPENDED
            ? StreamOptions.problem(c)
            : Optional.empty();
    if (rejected.isPresent()) {
      // as an invalid request is REJECTED: the producer hears why, in the final chunk and audit
      StreamOptions.clear(s); // settings it was not followed with
      s.setAction(Action.REJECTED);
      s.setRejection(rejected.get());
      end(s, "rejected", false, now);
    } else if (outcome == ChunkSequencer.Outcome.OVERFLOW) {
      end(s, "missing-seq", true, now);
    } else if (status == StreamStatus.REPAIRED && s.getFinalReceived()) {
      end(s, endReasonOf(s), false, now);
    } else if (status == StreamStatus.OPEN && outcome == ChunkSequencer.Outcome.APPENDED) {
      if (!scorers.fits(lane.engine(), s.getPrompt(), s.getText(), options(s).onFlag())) {
        end(s, "context-full", true, now);
      } else {
        dirty.putIfAbsent(id, now);
      }
    }
    store.put(id, s);
    drain();
  }

  private StreamState open(String id, long now) {
    StreamState s =
        StreamState.newBuilder()
            .setStreamId(id)
            .setOpenedAt(Instant.ofEpochMilli(now))
            .setLastActivityAt(Instant.ofEpochMilli(now))
            .build();
    context
        .recordMetadata()
        .ifPresent(m -> s.setSource(new SourceInfo(m.topic(), m.partition(), m.offset())));
    return s;
  }

  /** Punctuation: apply finished jobs, close idle streams, forget old tombstones, score. */
  void tick() {
    applyResults();
    long now = wallClock.getAsLong();
    List<String> idle = new ArrayList<>();
    active.forEach(
        (id, last) -> {
          if (now - last >= settings.idleTimeoutMs() && !scoring.contains(id)) {
            idle.add(id);
          }
        });
    for (String id : idle) {
      StreamState s = store.get(id);
      if (s != null) {
        boolean repaired = StreamStatus.of(s.getStatus()) == StreamStatus.REPAIRED;
        end(s, repaired ? endReasonOf(s) : gapOrIdle(s), !repaired || !s.getFinalReceived(), now);
        store.put(id, s);
      }
    }
    List<String> expired = new ArrayList<>();
    closedAt.forEach(
        (id, at) -> {
          if (now - at >= settings.closedRetentionMs()) {
            expired.add(id);
          }
        });
    expired.forEach(
        id -> {
          closedAt.remove(id);
          store.delete(id);
        });
    drain();
  }

  private static String gapOrIdle(StreamState s) {
    return s.getPending().isEmpty() ? "idle-timeout" : "missing-seq";
  }

  private static String endReasonOf(StreamState s) {
    return s.getEndReason() == null ? "final" : s.getEndReason();
  }

  /** Sends one scoring job when a batch is full or the oldest stream waited long enough. */
  private void drain() {
    if (dirty.isEmpty() || !scoring.isEmpty()) {
      return;
    }
    long now = wallClock.getAsLong();
    long oldest = dirty.values().iterator().next();
    if (dirty.size() < settings.batchSize() && now - oldest < settings.maxDelayMs()) {
      return;
    }
    List<StreamScorer.Snapshot> batch = new ArrayList<>();
    var it = dirty.keySet().iterator();
    while (it.hasNext() && batch.size() < settings.batchSize()) {
      String id = it.next();
      it.remove();
      StreamState s = store.get(id);
      if (s == null || StreamStatus.of(s.getStatus()) != StreamStatus.OPEN) {
        continue;
      }
      batch.add(
          new StreamScorer.Snapshot(
              id,
              s.getPrompt(),
              s.getText(),
              s.getReleasedChars(),
              s.getFinalReceived(),
              options(s)));
      scoring.add(id);
    }
    if (batch.isEmpty()) {
      return;
    }
    int mine = incarnation;
    List<String> ended = List.copyOf(endedSinceLastJob);
    endedSinceLastJob.clear();
    if (!settings.async()) {
      results.add(new Scored(scorer.score(batch, ended), mine));
      applyResults();
      return;
    }
    lane.execute(
        () -> {
          if (closed || mine != incarnation) {
            return;
          }
          List<StreamScorer.Result> r;
          try {
            r = scorer.score(batch, ended);
          } catch (Throwable t) { // an Error must not leave these streams waiting forever
            LOG.error("task {}: stream scoring failed", context.taskId(), t);
            r =
                batch.stream()
                    .map(s -> StreamScorer.Result.failed(s, "scoring failed: " + t))
                    .toList();
          }
          results.add(new Scored(r, mine));
        });
  }

  /** On the stream thread: acts on every finished job. */
  private void applyResults() {
    if (closed) {
      return;
    }
    Scored done;
    boolean any = false;
    while ((done = results.poll()) != null) {
      if (done.incarnation() != incarnation) {
        continue;
      }
      long now = wallClock.getAsLong();
      for (StreamScorer.Result r : done.results()) {
        scoring.remove(r.snapshot().id());
        StreamState s = store.get(r.snapshot().id());
        if (s == null || StreamStatus.of(s.getStatus()) != StreamStatus.OPEN) {
          continue; // closed meanwhile (idle, overflow): its result is moot
        }
        apply(s, r, now);
        store.put(s.getStreamId(), s);
      }
      any = true;
    }
    if (any && scoring.isEmpty() && dirty.isEmpty()) {
      context.commit(); // nothing in hand: make the releases visible now
    }
  }

  private void apply(StreamState s, StreamScorer.Result r, long now) {
    if (r.error() != null) {
      s.setAction(Action.BLOCKED);
      s.setEndReason("scoring-failed");
      finish(s, fallbackAfterReleased(s), now);
      LOG.warn("stream {}: {}", s.getStreamId(), r.error());
      return;
    }
    HoldBack.Step flagStep = r.flagStep();
    String steering = lane.engine().steeringLabel();
    if (flagStep.flag() != null && s.getFirstFlaggedChar() < 0) {
      s.setFirstFlaggedChar(flagStep.flag().spanStart());
      s.setInputScores(new LinkedHashMap<>(r.scores().finalLabelScores()));
    } else if (s.getFirstFlaggedChar() < 0) {
      s.setInputScores(new LinkedHashMap<>(r.scores().finalLabelScores()));
    }
    HoldBack.Step step = r.releaseStep();
    HoldBack.Flag flag = step.flag();
    if (flag == null) {
      s.setOutputScores(new LinkedHashMap<>(r.scores().finalLabelScores()));
      if (step.complete()) {
        s.setEndReason("final");
        finish(s, s.getText().substring(s.getReleasedChars()), now);
      } else {
        release(s, step.releaseTo(), now);
      }
      return;
    }
    switch (options(s).onFlag()) {
      case REWRITE -> rewritten(s, r.repair(), now);
      case BLOCK -> {
        // like a rewrite, the clean text up to the clause start goes out before the fallback
        release(s, flag.clauseStart(), now);
        s.setAction(Action.BLOCKED);
        s.setEndReason("blocked");
        finish(s, fallbackAfterReleased(s), now);
      }
      case REDACT -> redact(s, flag, steering, now);
    }
  }

  /** REWRITE: the completed reply's text after what is out is the last chunk. */
  private void rewritten(StreamState s, Verdict v, long now) {
    s.setRewriteAttempts(v.decoding().attempts());
    s.setOutputScores(new LinkedHashMap<>(v.output().categoryScores()));
    String released = s.getText().substring(0, s.getReleasedChars());
    s.setAction(SchemaEnums.avro(v.action()));
    s.setEndReason(v.action() == Verdict.Action.BLOCKED ? "blocked" : "rewritten");
    String tail =
        v.text().startsWith(released)
            ? v.text().substring(released.length())
            : separator(s) + v.text(); // BLOCKED: the fallback text after what is out
    finish(s, tail, now);
  }

  /** REDACT: release the clean text before the flagged word, mask it, keep following. */
  private void redact(StreamState s, HoldBack.Flag flag, String steering, long now) {
    release(s, flag.cut(), now);
    String text = s.getText();
    String mask = scorers.redactionMask();
    if (text.substring(flag.spanStart(), flag.spanEnd()).equals(mask)) {
      // the mask itself scores at or above the threshold here: masking cannot make it clean
      s.setAction(Action.BLOCKED);
      s.setEndReason("blocked");
      finish(s, fallbackAfterReleased(s), now);
      return;
    }
    s.setText(text.substring(0, flag.spanStart()) + mask + text.substring(flag.spanEnd()));
    s.setRedactions(s.getRedactions() + 1);
    s.setAction(Action.REDACTED);
    if (s.getFinalReceived() || s.getText().length() > s.getReleasedChars()) {
      dirty.putIfAbsent(s.getStreamId(), now); // the masked text is scored again
    }
  }

  /** The fallback text as it follows the released text. */
  private String fallbackAfterReleased(StreamState s) {
    return separator(s) + scorers.fallbackText();
  }

  /** A space after released text that ends inside a line, so the next text is not glued on. */
  private static String separator(StreamState s) {
    int r = s.getReleasedChars();
    return r == 0 || Character.isWhitespace(s.getText().charAt(r - 1)) ? "" : " ";
  }

  /** Forwards text[released..to) as a chunk, if any. */
  private void release(StreamState s, int to, long now) {
    if (to <= s.getReleasedChars()) {
      return;
    }
    String text = s.getText().substring(s.getReleasedChars(), to);
    forward(s, StreamRecords.chunk(s, text, now), now);
    s.setReleasedChars(to);
  }

  private void forward(StreamState s, ReleasedChunk chunk, long now) {
    context.forward(new Record<>(s.getStreamId(), (Object) chunk, now), StreamTopology.OUT_SINK);
    s.setNextOutSeq(s.getNextOutSeq() + 1);
    metrics.released(chunk.getFinal$());
  }

  /**
   * Ends the output with {@code tail} as the last chunk. A stream whose input is complete (or that
   * was released whole) closes; one that armguard ended early waits as REPAIRED for the rest of the
   * chatbot's chunks, which are dropped and counted.
   */
  private void finish(StreamState s, String tail, long now) {
    String steering = lane.engine().steeringLabel();
    ReleasedChunk last = records.last(s, tail, steering, now);
    forward(s, last, now);
    if (s.getAction() == null || s.getAction() == Action.REDACTED) {
      s.setReleasedChars(s.getText().length());
    }
    dirty.remove(s.getStreamId());
    if (s.getFinalReceived()) {
      closeAndAudit(s, now);
    } else {
      s.setStatus(StreamStatus.REPAIRED.name());
    }
  }

  /**
   * Ends a stream that is not finished: an OPEN one gets an empty last chunk (its unreleased tail
   * withheld, truncated); a REPAIRED one's output is already final.
   */
  private void end(StreamState s, String reason, boolean truncated, long now) {
    s.setEndReason(reason);
    s.setTruncated(truncated);
    if (StreamStatus.of(s.getStatus()) == StreamStatus.OPEN) {
      forward(s, records.last(s, "", lane.engine().steeringLabel(), now), now);
    }
    dirty.remove(s.getStreamId());
    closeAndAudit(s, now);
  }

  private void closeAndAudit(StreamState s, long now) {
    context.forward(
        new Record<>(s.getStreamId(), (Object) records.audit(s, lane.engine(), now), now),
        StreamTopology.AUDIT_SINK);
    metrics.closed(StreamRecords.action(s).name(), s.getEndReason());
    s.setStatus(StreamStatus.CLOSED.name());
    s.setText("");
    s.setPending(List.of());
    s.setLastActivityAt(Instant.ofEpochMilli(now));
    active.remove(s.getStreamId());
    closedAt.put(s.getStreamId(), now);
    endedSinceLastJob.add(s.getStreamId());
  }

  /** The stream's own settings, else the service's. */
  private StreamOptions options(StreamState s) {
    return StreamOptions.of(s, settings);
  }

  /** Open streams this task follows (tests). */
  int openStreams() {
    return active.size();
  }

  /**
   * The task is closing: a job on the worker is not applied here; its streams stay in the store
   * (text and released offset) for whoever owns the task next, which scores them again.
   */
  @Override
  public void close() {
    closed = true;
    results.clear();
  }
}
