package io.armguard.streams;

import io.armguard.decode.GuidedEngine;
import io.armguard.schema.BufferedRequest;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.SourceInfo;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First processor: checks each request ({@link RequestValidator}). A valid one goes on to the
 * micro-batch as a {@link BufferedRequest} that carries its source coordinates (records forwarded
 * later from a punctuator have none); an invalid one is answered at once with a REJECTED completion
 * and audit record. A tombstone (null value) is no request: it is counted ({@code
 * armguard_tombstones_total}), logged at debug and answered by nothing. Prompt text reaches the
 * (debug) log only with {@code log.content=true}.
 */
public final class ValidateProcessor
    implements Processor<String, GenerationRequest, String, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(ValidateProcessor.class);

  private final RequestValidator validator;
  private final OutcomeRecords outcomes;
  private final EnginePool engines;
  private final PipelineMetrics metrics;
  private final boolean logContent;
  private ProcessorContext<String, Object> context;
  private GuidedEngine engine;

  public ValidateProcessor(
      RequestValidator validator,
      OutcomeRecords outcomes,
      EnginePool engines,
      PipelineMetrics metrics,
      boolean logContent) {
    this.validator = validator;
    this.outcomes = outcomes;
    this.engines = engines;
    this.metrics = metrics;
    this.logContent = logContent;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.engine = engines.forCurrentThread();
  }

  @Override
  public void process(Record<String, GenerationRequest> record) {
    GenerationRequest request = record.value();
    SourceInfo source = source(context);
    if (request == null) {
      // A tombstone on the requests topic is not a request: nothing to answer, nobody to answer.
      metrics.tombstone();
      LOG.debug(
          "task {}: tombstone at {}-{}@{} ignored",
          context.taskId(),
          source.getTopic(),
          source.getPartition(),
          source.getOffset());
      return;
    }
    Optional<String> problem = validator.problem(request, engine);
    if (problem.isPresent()) {
      LOG.debug(
          "request {} rejected: {}{}",
          request.getRequestId(),
          problem.get(),
          logContent ? " (prompt: " + request.getPrompt() + ")" : "");
      OutcomeRecords.Outcome o =
          outcomes.rejected(
              request, source, "validate", problem.get(), context.currentSystemTimeMs());
      metrics.action("REJECTED");
      ArmguardTopology.forward(context, o, record.timestamp());
      return;
    }
    BufferedRequest buffered =
        BufferedRequest.newBuilder()
            .setRequest(request)
            .setSource(source)
            .setEnqueuedAt(
                Instant.ofEpochMilli(context.currentSystemTimeMs())) // restamped on entry
            .setSequence(0)
            .build();
    context.forward(
        new Record<>(request.getRequestId(), (Object) buffered, record.timestamp()),
        ArmguardTopology.MICRO_BATCH);
  }

  static SourceInfo source(ProcessorContext<?, ?> context) {
    Optional<RecordMetadata> m = context.recordMetadata();
    return m.map(r -> new SourceInfo(r.topic(), r.partition(), r.offset()))
        .orElse(new SourceInfo("", -1, -1L));
  }
}
