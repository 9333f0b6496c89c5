package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import io.armguard.schema.ReleasedChunk;
import io.armguard.schema.ReplyChunk;
import io.armguard.schema.StreamState;
import io.armguard.serde.ConfluentAvroSerde;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * The value serdes of streamed replies (keys are stream ids, plain strings), over the configured
 * schema registry like {@link TopologySerdes}.
 *
 * @param chunk input chunks ({@code topic.stream.in})
 * @param released released chunks ({@code topic.stream.out})
 * @param state the stream-state store (and its changelog)
 */
public record StreamSerdes(
    Serde<ReplyChunk> chunk, Serde<ReleasedChunk> released, Serde<StreamState> state) {

  /** Confluent-wire-format Avro serdes over {@code schema.registry.url}. */
  public static StreamSerdes fromConfig(ArmguardConfig config) {
    Map<String, Object> props = new HashMap<>(config.registryProperties());
    return new StreamSerdes(
        ConfluentAvroSerde.forValues(ReplyChunk.class, props),
        ConfluentAvroSerde.forValues(ReleasedChunk.class, props),
        ConfluentAvroSerde.forValues(StreamState.class, props));
  }
}
