package io.armguard.streams;

import io.armguard.serde.RegistryUnavailableException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a request record that cannot be read. Bad input (not Confluent-framed, a writer
 * schema id the registry says does not exist, a corrupt body) goes to the dead-letter topic with
 * Kafka's KIP-1034 headers (exception, message, stack trace, source topic/partition/offset), logged
 * as one line naming node, task, topic, partition, offset and reason, rate-limited, and counted in
 * {@code armguard.dead.letters} by exception class ({@link #reason}). A registry that could not be
 * asked ({@link RegistryUnavailableException}) is not bad input: the handler answers FAIL without a
 * dead letter, so the stream thread stops without committing the record; the uncaught-exception
 * handler starts a new thread, which reads the record again from the last commit.
 *
 * <p>Instantiated by Kafka Streams ({@value
 * StreamsConfig#DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG}); {@link #configure} takes the
 * dead-letter topic and, under {@link #METRICS_CONFIG}, the {@link PipelineMetrics} instance.
 * Thread-safe.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler {

  /** Config key under which the service passes its {@link PipelineMetrics} (an object). */
  public static final String METRICS_CONFIG = "armguard.pipeline.metrics";

  /**
   * Config key under which a test may pass its own {@link LogRateLimit} (an object); by default
   * every handler of the JVM shares one limit of {@value #LINES_PER_SECOND} lines a second.
   */
  static final String LOG_LIMIT_CONFIG = "armguard.dead.letter.log.limit";

  static final int LINES_PER_SECOND = 10;

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);
  private static final LogRateLimit SHARED_LINES =
      new LogRateLimit(LINES_PER_SECOND, 1_000, System::currentTimeMillis);

  private String deadLetterTopic;
  private PipelineMetrics metrics;
  private LogRateLimit lines = SHARED_LINES;

  @Override
  public void configure(Map<String, ?> configs) {
    Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    deadLetterTopic = topic == null ? null : topic.toString();
    if (configs.get(METRICS_CONFIG) instanceof PipelineMetrics m) {
      metrics = m;
    }
    if (configs.get(LOG_LIMIT_CONFIG) instanceof LogRateLimit l) {
      lines = l;
    }
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    if (RegistryUnavailableException.isCause(exception)) {
      if (metrics != null) {
        metrics.registryHold();
      }
      log("holding", context, exception);
      return Response.fail();
    }
    log("dead letter", context, exception);
    List<ProducerRecord<byte[], byte[]>> letters =
        ExceptionHandlerUtils.maybeBuildDeadLetterQueueRecords(
            deadLetterTopic, context.sourceRawKey(), context.sourceRawValue(), context, exception);
    count(metrics, letters, exception);
    return Response.resume(letters);
  }

  /**
   * The dead-letter reason a record is counted under: the exception's class name, the value Kafka
   * writes to the dead letter's {@code __streams.errors.exception} header.
   */
  static String reason(Exception exception) {
    return exception.getClass().getName();
  }

  /** Counts the dead letters actually built (none when no dead-letter topic is configured). */
  static void count(
      PipelineMetrics metrics, List<ProducerRecord<byte[], byte[]>> letters, Exception exception) {
    if (metrics != null) {
      letters.forEach(letter -> metrics.deadLetter(reason(exception)));
    }
  }

  private void log(String what, ErrorHandlerContext c, Exception e) {
    long dropped = lines.admit();
    if (dropped < 0) {
      return;
    }
    LOG.warn(
        "{}: node={} task={} topic={} partition={} offset={} reason={}{}",
        what,
        c.processorNodeId(),
        c.taskId(),
        c.topic(),
        c.partition(),
        c.offset(),
        e.getMessage(),
        dropped > 0 ? " (" + dropped + " similar lines suppressed)" : "");
  }
}
