package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The streamed-reply sub-topology, added to armguard's topology when {@code stream.enabled}:
 *
 * <pre>
 * stream-source ─► stream-moderate (store stream-state, changelogged) ─┬─► stream-out-sink
 *  (topic.stream.in)                                                   └─► stream-audit-sink
 * </pre>
 */
public final class StreamTopology {

  public static final String SOURCE = "stream-source";
  public static final String MODERATE = "stream-moderate";
  public static final String STATE_STORE = "stream-state";
  public static final String OUT_SINK = "stream-out-sink";
  public static final String AUDIT_SINK = "stream-audit-sink";

  private StreamTopology() {}

  /** Adds the sub-topology to {@code t}. */
  static void addTo(
      Topology t,
      ArmguardConfig config,
      TopologySerdes serdes,
      StreamSerdes streamSerdes,
      EnginePool engines,
      PipelineMetrics metrics,
      LongSupplier wallClock) {
    StreamSettings settings = StreamSettings.from(config);
    TaskFactory tasks = new TaskFactory(config);
    StreamScorerFactory scorers = new StreamScorerFactory(config);
    StreamRecords records =
        new StreamRecords(
            config.instanceId(), config.moderationMode(), settings, tasks.thresholds());
    StreamMetrics streamMetrics = new StreamMetrics(metrics.registry());
    t.addSource(
        SOURCE,
        Serdes.String().deserializer(),
        streamSerdes.chunk().deserializer(),
        config.string(ArmguardConfig.TOPIC_STREAM_IN));
    t.addProcessor(
        MODERATE,
        () ->
            new StreamModerationProcessor(
                STATE_STORE, settings, engines, scorers, records, streamMetrics, wallClock),
        SOURCE);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), streamSerdes.state())
            .withLoggingEnabled(Map.of())
            .withCachingDisabled(),
        MODERATE);
    t.addSink(
        OUT_SINK,
        config.string(ArmguardConfig.TOPIC_STREAM_OUT),
        Serdes.String().serializer(),
        streamSerdes.released().serializer(),
        MODERATE);
    t.addSink(
        AUDIT_SINK,
        config.auditTopic(),
        Serdes.String().serializer(),
        serdes.audit().serializer(),
        MODERATE);
  }
}
