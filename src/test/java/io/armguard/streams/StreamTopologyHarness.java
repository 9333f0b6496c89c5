package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import io.armguard.decode.GuidedEngine;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.ReleasedChunk;
import io.armguard.schema.ReplyChunk;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.function.LongSupplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * armguard's whole topology under a {@link TopologyTestDriver} with the streamed-reply topics
 * piped: chunks in, released chunks and audit records out. One per test; {@link #close} closes the
 * driver (and with it the state stores).
 */
final class StreamTopologyHarness implements AutoCloseable {
  final TopologyTestDriver driver;
  final TestInputTopic<String, ReplyChunk> in;
  final TestOutputTopic<String, ReleasedChunk> out;
  final TestOutputTopic<String, AuditRecord> audits;

  /**
   * @param registryScope the in-memory schema registry's scope (one per test class)
   * @param engine the engine every decode and scoring call goes to
   * @param clock the wall clock the buffers measure waiting time with, advanced by the test
   */
  StreamTopologyHarness(
      ArmguardConfig config,
      String registryScope,
      GuidedEngine engine,
      MeterRegistry meters,
      LongSupplier clock) {
    TopologySerdes serdes = TestSerdes.create(registryScope);
    StreamSerdes streamSerdes = StreamSerdes.fromConfig(config);
    driver =
        new TopologyTestDriver(
            ArmguardTopology.buildTopology(
                config, serdes, new EnginePool(() -> engine), new PipelineMetrics(meters), clock),
            ArmguardTopology.streamsProperties(config),
            Instant.ofEpochMilli(0));
    in =
        driver.createInputTopic(
            config.string(ArmguardConfig.TOPIC_STREAM_IN),
            Serdes.String().serializer(),
            streamSerdes.chunk().serializer());
    out =
        driver.createOutputTopic(
            config.string(ArmguardConfig.TOPIC_STREAM_OUT),
            Serdes.String().deserializer(),
            streamSerdes.released().deserializer());
    audits =
        driver.createOutputTopic(
            config.auditTopic(), Serdes.String().deserializer(), serdes.audit().deserializer());
  }

  @Override
  public void close() {
    driver.close();
  }
}
