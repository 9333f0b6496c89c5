package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import java.util.Map;

/** The serdes the streams tests run the topology with: Confluent wire format, mock:// registry. */
final class TestSerdes {

  private TestSerdes() {}

  /** Serdes over the in-memory registry of {@code scope}. */
  static TopologySerdes create(String scope) {
    return TopologySerdes.fromConfig(
        ArmguardConfig.from(Map.of("schema.registry.url", "mock://" + scope), Map.of()));
  }
}
