package io.armguard.config;

import static io.armguard.config.ArmguardConfig.BATCH_MAX_DELAY_MS;
import static io.armguard.config.ArmguardConfig.BATCH_MAX_IN_FLIGHT;
import static io.armguard.config.ArmguardConfig.BATCH_SIZE;
import static io.armguard.config.ArmguardConfig.COMMIT_INTERVAL_MS;
import static io.armguard.config.ArmguardConfig.DECODE_DEVICES;
import static io.armguard.config.ArmguardConfig.DECODE_MAX_NEW_TOKENS;
import static io.armguard.config.ArmguardConfig.DECODE_MAX_NEW_TOKENS_LIMIT;
import static io.armguard.config.ArmguardConfig.DECODE_STEP_MS_WORST;
import static io.armguard.config.ArmguardConfig.DECODE_TOP_K;
import static io.armguard.config.ArmguardConfig.DECODE_TOP_K_LIMIT;
import static io.armguard.config.ArmguardConfig.REWRITE_MAX_ATTEMPTS;
import static io.armguard.config.ArmguardConfig.TRANSACTION_TIMEOUT_MS;

import java.util.Locale;
import java.util.regex.Pattern;

/** The checks between keys that {@link ArmguardConfig} runs once every value is valid alone. */
final class CrossFieldChecks {

  /**
   * One entry of {@code device} or {@code decode.devices} (whether DJL sees it is checked later).
   */
  private static final Pattern DEVICE_NAME = Pattern.compile("auto|cpu|gpu(:\\d+)?");

  private CrossFieldChecks() {}

  private static void checkDecodeDevices(ArmguardConfig c) {
    if (c.string(DECODE_DEVICES).isBlank()) {
      return;
    }
    for (String d : c.decodeDevices()) {
      if (!DEVICE_NAME.matcher(d.toLowerCase(Locale.ROOT)).matches()) {
        throw new ConfigException(
            DECODE_DEVICES,
            "'"
                + d
                + "' is not a device: expected a comma-separated list of auto, cpu, gpu or gpu:N");
      }
    }
    if (!c.instanceScheduler()) {
      throw new ConfigException(
          DECODE_DEVICES,
          "devices are the instance scheduler's: set decode.scheduler=continuous (or instance)"
              + " and batch.max.in.flight > 0, or leave "
              + DECODE_DEVICES
              + " empty");
    }
  }

  static void check(ArmguardConfig c) {
    if (c.decodeMaxNewTokens() > c.intValue(DECODE_MAX_NEW_TOKENS_LIMIT)) {
      throw new ConfigException(
          DECODE_MAX_NEW_TOKENS,
          "default "
              + c.decodeMaxNewTokens()
              + " exceeds "
              + DECODE_MAX_NEW_TOKENS_LIMIT
              + "="
              + c.decodeMaxNewTokensLimit());
    }
    if (c.decodeTopK() > c.decodeTopKLimit()) {
      throw new ConfigException(
          DECODE_TOP_K, "default " + c.decodeTopK() + " exceeds " + DECODE_TOP_K_LIMIT);
    }
    checkRegistryRetry(c);
    checkDecodeDevices(c);
    // Why: with batch.max.in.flight=0 a batch is decoded on the stream thread inside one
    // transaction; if it can outlive transaction.timeout.ms the broker aborts the transaction and
    // the whole batch is decoded again, forever. With a decode worker the stream thread never waits
    // for a decode (batches wait in the durable buffer), so a transaction spans one commit
    // interval.
    if (c.batchMaxInFlight() > 0) {
      if (c.commitIntervalMs() >= c.transactionTimeoutMs()) {
        throw new ConfigException(
            COMMIT_INTERVAL_MS,
            c.commitIntervalMs()
                + " ms must stay below "
                + TRANSACTION_TIMEOUT_MS
                + "="
                + c.transactionTimeoutMs());
      }
      return;
    }
    long worstBatchMs = c.worstCaseBatchMs();
    if (worstBatchMs + c.batchMaxDelayMs() + c.commitIntervalMs() >= c.transactionTimeoutMs()) {
      throw new ConfigException(
          BATCH_SIZE + "," + TRANSACTION_TIMEOUT_MS,
          String.format(
              "with %s=0, a worst-case batch (%s=%d x %s=%d x (1 + %s=%d) x %s=%d ms = %d ms)"
                  + " plus %s and %s must stay below %s=%d; decode on the worker (%s > 0), lower"
                  + " the batch size or token limit, or raise the timeout",
              BATCH_MAX_IN_FLIGHT,
              BATCH_SIZE,
              c.batchSize(),
              DECODE_MAX_NEW_TOKENS_LIMIT,
              c.decodeMaxNewTokensLimit(),
              REWRITE_MAX_ATTEMPTS,
              c.rewriteMaxAttempts(),
              DECODE_STEP_MS_WORST,
              c.intValue(DECODE_STEP_MS_WORST),
              worstBatchMs,
              BATCH_MAX_DELAY_MS,
              COMMIT_INTERVAL_MS,
              TRANSACTION_TIMEOUT_MS,
              c.transactionTimeoutMs(),
              BATCH_MAX_IN_FLIGHT));
    }
  }

  /** The key (in the registry client settings) of the deserializer's retry budget. */
  static final String REGISTRY_RETRY_MAX_MS = "schema.registry.retry.max.ms";

  // Why: the stream thread waits for the registry with its transaction open; the wait must end
  // (and the thread restart from its last commit) long before the broker aborts the transaction.
  private static void checkRegistryRetry(ArmguardConfig c) {
    String raw = c.registryProperties().get(REGISTRY_RETRY_MAX_MS);
    if (raw == null) {
      return;
    }
    long budget;
    try {
      budget = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(REGISTRY_RETRY_MAX_MS, "'" + raw + "' is not a number of ms");
    }
    if (budget < 0 || budget * 2 > c.transactionTimeoutMs()) {
      throw new ConfigException(
          REGISTRY_RETRY_MAX_MS,
          budget
              + " ms must be between 0 and half of "
              + TRANSACTION_TIMEOUT_MS
              + "="
              + c.transactionTimeoutMs());
    }
  }
}
