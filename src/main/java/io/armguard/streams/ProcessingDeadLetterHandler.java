package io.armguard.streams;

import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Kafka's log-and-continue handler for an exception a processor throws (the record is skipped and,
 * with a dead-letter topic configured, written there with KIP-1034 headers), plus the count in
 * {@code armguard.dead.letters} that {@link DeadLetterHandler} keeps for undeserializable records,
 * so the counter covers every dead letter the topology writes. armguard's processors answer bad
 * requests themselves (REJECTED), so this is the path of unexpected failures only.
 *
 * <p>Instantiated by Kafka Streams ({@value
 * StreamsConfig#PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG}); {@link #configure} takes the
 * dead-letter topic and, under {@link DeadLetterHandler#METRICS_CONFIG}, the {@link
 * PipelineMetrics}. Thread-safe.
 */
public final class ProcessingDeadLetterHandler extends LogAndContinueProcessingExceptionHandler {

  private PipelineMetrics metrics;

  @Override
  public void configure(Map<String, ?> configs) {
    super.configure(configs);
    if (configs.get(DeadLetterHandler.METRICS_CONFIG) instanceof PipelineMetrics m) {
      metrics = m;
    }
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    Response response = super.handleError(context, record, exception);
    DeadLetterHandler.count(metrics, response.deadLetterQueueRecords(), exception);
    return response;
  }
}
