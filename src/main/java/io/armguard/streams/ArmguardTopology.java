package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import io.armguard.decode.GuidedEngine;
import io.armguard.moderate.BatchModerator;
import io.armguard.moderate.ModerationPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;

/**
 * armguard's topology, built by a plain method that the service and the tests call:
 *
 * <pre>
 * requests-source ─► dedupe ─► validate ─┬─► micro-batch (store micro-batch-buffer) ─┐
 *   (store request-ids: the idempotency  │ invalid: REJECTED                        │
 *    window; both stores changelogged)   └────► completions-sink, audit-sink ◄──────┘
 * </pre>
 *
 * Undeserializable records never reach {@code validate}: Kafka Streams' deserialization handler
 * writes them to the dead-letter topic ({@link #streamsProperties}).
 */
public final class ArmguardTopology {

  public static final String SOURCE = "requests-source";
  public static final String DEDUPE = "dedupe";
  public static final String REQUEST_IDS_STORE = "request-ids";
  public static final String VALIDATE = "validate";
  public static final String MICRO_BATCH = "micro-batch";
  public static final String BUFFER_STORE = "micro-batch-buffer";
  public static final String COMPLETIONS_SINK = "completions-sink";
  public static final String AUDIT_SINK = "audit-sink";

  private ArmguardTopology() {}

  /** The topology for {@code config}; engines come from {@code engines}, one per stream thread. */
  public static Topology buildTopology(
      ArmguardConfig config, TopologySerdes serdes, EnginePool engines, PipelineMetrics metrics) {
    return buildTopology(config, serdes, engines, metrics, System::currentTimeMillis);
  }

  /**
   * As above, with the wall clock (epoch ms) the micro-batch buffer measures waiting time with;
   * tests pass one they advance together with TopologyTestDriver's.
   */
  public static Topology buildTopology(
      ArmguardConfig config,
      TopologySerdes serdes,
      EnginePool engines,
      PipelineMetrics metrics,
      LongSupplier wallClock) {
    OutcomeRecords outcomes =
        new OutcomeRecords(
            config.instanceId(), config.toxicityThreshold(), config.moderationMode());
    RequestValidator validator = new RequestValidator(config);
    TaskFactory tasks = new TaskFactory(config);
    ModerationPolicy policy = ModerationConfig.policy(config);
    // Built with the service's own settings: a bare Topology() makes a default StreamsConfig,
    // which warns about settings the service does set.
    Topology t =
        new Topology(
            new org.apache.kafka.streams.TopologyConfig(
                new org.apache.kafka.streams.StreamsConfig(streamsProperties(config))));
    t.addSource(
        SOURCE,
        Serdes.String().deserializer(),
        serdes.request().deserializer(),
        config.requestsTopic());
    String validateParent = SOURCE;
    long window = config.intValue(ArmguardConfig.DEDUPE_WINDOW_MS);
    if (window > 0) {
      t.addProcessor(
          DEDUPE,
          () -> new DuplicateRequestFilter(REQUEST_IDS_STORE, window, metrics, wallClock),
          SOURCE);
      t.addStateStore(
          Stores.windowStoreBuilder(
                  Stores.persistentWindowStore(
                      REQUEST_IDS_STORE,
                      Duration.ofMillis(window),
                      Duration.ofMillis(window),
                      false),
                  Serdes.String(),
                  Serdes.Long())
              .withLoggingEnabled(Map.of())
              .withCachingDisabled(),
          DEDUPE);
      validateParent = DEDUPE;
    }
    t.addProcessor(
        VALIDATE,
        () -> new ValidateProcessor(validator, outcomes, engines, metrics, config.logContent()),
        validateParent);
    if (config.instanceScheduler()) {
      DecodeScheduler.Settings settings = DecodeScheduler.Settings.of(config);
      Supplier<DecodeScheduler> scheduler =
          () ->
              engines.scheduler(
                  devices -> {
                    Function<GuidedEngine, DecodeScheduler.BatchDecoding> deciding =
                        on -> {
                          BatchDecider decider = new BatchDecider(new BatchModerator(on, policy));
                          return batch -> decider.decide(batch, "scheduler");
                        };
                    return config.continuousScheduler()
                        ? DecodeScheduler.startContinuous(
                            devices, settings, deciding, metrics, wallClock)
                        : DecodeScheduler.start(devices, settings, deciding, metrics, wallClock);
                  });
      t.addProcessor(
          MICRO_BATCH,
          () ->
              new ScheduledBatchProcessor(
                  BUFFER_STORE, scheduler, tasks, outcomes, metrics, wallClock),
          VALIDATE);
    } else {
      t.addProcessor(
          MICRO_BATCH,
          () ->
              new MicroBatchProcessor(
                  BUFFER_STORE,
                  config.batchSize(),
                  config.batchMaxDelayMs(),
                  config.batchMaxInFlight(),
                  engines,
                  policy,
                  tasks,
                  outcomes,
                  metrics,
                  wallClock),
          VALIDATE);
    }
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(BUFFER_STORE), Serdes.Long(), serdes.buffered())
            .withLoggingEnabled(Map.of())
            .withCachingDisabled(),
        MICRO_BATCH);
    if (config.bool(ArmguardConfig.STREAM_ENABLED)) {
      StreamTopology.addTo(
          t, config, serdes, StreamSerdes.fromConfig(config), engines, metrics, wallClock);
    }
    t.addSink(
        COMPLETIONS_SINK,
        config.completionsTopic(),
        Serdes.String().serializer(),
        serdes.completion().serializer(),
        VALIDATE,
        MICRO_BATCH);
    t.addSink(
        AUDIT_SINK,
        config.auditTopic(),
        Serdes.String().serializer(),
        serdes.audit().serializer(),
        VALIDATE,
        MICRO_BATCH);
    return t;
  }

  /**
   * Kafka Streams settings: exactly-once v2, dead-letter queue, handlers, then kafka.* overrides.
   */
  public static Properties streamsProperties(ArmguardConfig config) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(
        StreamsConfig.NUM_STREAM_THREADS_CONFIG,
        config.intValue(ArmguardConfig.NUM_STREAM_THREADS));
    p.put(
        StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG,
        config.intValue(ArmguardConfig.NUM_STANDBY_REPLICAS));
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMs());
    p.put(StreamsConfig.STATE_DIR_CONFIG, config.string(ArmguardConfig.STATE_DIR));
    // The stream thread blocks in poll() for up to poll.ms when no records come; wall-clock
    // punctuators (batch deadlines, answering decoded batches) cannot fire meanwhile, so poll in
    // steps no longer than the micro-batch processor's punctuation interval.
    p.put(
        StreamsConfig.POLL_MS_CONFIG,
        Math.min(
            100L,
            MicroBatchProcessor.punctuationInterval(
                    config.batchMaxDelayMs(), config.batchMaxInFlight() > 0)
                .toMillis()));
    p.put(
        StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
        (int) config.transactionTimeoutMs());
    // A batch is decoded between two polls: max.poll.interval must outlast the worst batch.
    p.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG),
        (int) Math.max(300_000L, 2 * config.transactionTimeoutMs()));
    p.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
        config.intValue(ArmguardConfig.SESSION_TIMEOUT_MS));
    p.put(
        StreamsConfig.mainConsumerPrefix(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG),
        mainConsumerApiTimeoutMs(config));
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
    p.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, ProcessingDeadLetterHandler.class);
    p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.dlqTopic());
    // No global stores here; enabling the handler for them too only silences Streams' warning.
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    // ...and for the partition assignor's copy of the config, built from the consumer's settings
    p.put(
        StreamsConfig.mainConsumerPrefix(
            StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
        true);
    p.putAll(config.kafkaOverrides());
    return p;
  }

  /**
   * How long one blocking call of the main consumer may take (its {@code default.api.timeout.ms}):
   * half the transaction timeout, at most 10 s (Kafka's default is 60 s). A stream thread that
   * initialises a task fetches the input partitions' committed offsets with {@code require_stable},
   * and the fetch retries for this long while another producer's transaction holds offsets of the
   * partition pending (an instance killed mid-transaction). Meanwhile the thread neither polls (a
   * rebalance waits for it) nor commits its own open transaction (which the broker aborts after
   * {@code transaction.timeout.ms}, fencing the thread). Kafka Streams retries a timed-out
   * initialisation on the next loop, within {@code task.timeout.ms}, so a bound below the
   * transaction timeout lets the thread poll and commit between attempts.
   */
  static int mainConsumerApiTimeoutMs(ArmguardConfig config) {
    return (int) Math.min(10_000L, config.transactionTimeoutMs() / 2);
  }

  /** Sends an outcome's completion and audit record to their sinks. */
  static void forward(ProcessorContext<String, Object> context, OutcomeRecords.Outcome o, long ts) {
    context.forward(new Record<>(o.key(), (Object) o.completion(), ts), COMPLETIONS_SINK);
    context.forward(new Record<>(o.key(), (Object) o.audit(), ts), AUDIT_SINK);
  }
}
