package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The stable identity an instance joins its consumer group with (static membership, KIP-345): the
 * configured {@code instance.id}, or else an id created once and kept in {@code state.dir}, so a
 * restarted process is recognised as the same member and takes its partitions back without a
 * rebalance or waiting out its old session. Kafka Streams appends the stream thread's index.
 */
final class InstanceIdentity {

  private InstanceIdentity() {}

  /** The group instance id for {@code config} (creating the persisted one on first use). */
  static String groupInstanceId(ArmguardConfig config) {
    String configured = config.string(ArmguardConfig.INSTANCE_ID);
    if (!configured.isBlank()) {
      return config.applicationId() + "-" + configured;
    }
    Path file =
        Path.of(config.string(ArmguardConfig.STATE_DIR))
            .resolve("armguard-" + config.applicationId() + ".instance-id");
    try {
      if (Files.exists(file)) {
        String id = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (!id.isEmpty()) {
          return id;
        }
      }
      String id = config.applicationId() + "-" + UUID.randomUUID();
      Files.createDirectories(file.getParent());
      Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the instance id in " + file, e);
    }
  }
}
