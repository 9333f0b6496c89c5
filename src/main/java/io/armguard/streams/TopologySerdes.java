package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.BufferedRequest;
import io.armguard.schema.Completion;
import io.armguard.schema.GenerationRequest;
import io.armguard.serde.ConfluentAvroSerde;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * The value serdes the topology reads and writes (keys are request ids, plain strings). Built from
 * the configured schema registry by the service, or from an in-memory registry by tests.
 *
 * @param request requests topic values
 * @param completion completions topic values
 * @param audit audit topic values
 * @param buffered the micro-batch buffer store (and its changelog)
 */
public record TopologySerdes(
    Serde<GenerationRequest> request,
    Serde<Completion> completion,
    Serde<AuditRecord> audit,
    Serde<BufferedRequest> buffered) {

  /**
   * Confluent-wire-format Avro serdes over the registry at {@code schema.registry.url} ({@code
   * mock://SCOPE}: the in-memory registry of that scope), with the config's registry client
   * settings (basic auth, TLS). Subjects follow TopicNameStrategy ({@code <topic>-value}), the
   * buffer store's changelog included.
   */
  public static TopologySerdes fromConfig(ArmguardConfig config) {
    Map<String, Object> props = new HashMap<>(config.registryProperties());
    return new TopologySerdes(
        ConfluentAvroSerde.forValues(GenerationRequest.class, props),
        ConfluentAvroSerde.forValues(Completion.class, props),
        ConfluentAvroSerde.forValues(AuditRecord.class, props),
        ConfluentAvroSerde.forValues(BufferedRequest.class, props));
  }
}
