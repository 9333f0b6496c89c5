package io.armguard.config;

import static io.armguard.config.ArmguardConfig.BATCH_MAX_DELAY_MS;
import static io.armguard.config.ArmguardConfig.BATCH_SIZE;
import static io.armguard.config.ArmguardConfig.COMMIT_INTERVAL_MS;
import static io.armguard.config.ArmguardConfig.DECODE_MAX_NEW_TOKENS;
import static io.armguard.config.ArmguardConfig.DECODE_MAX_NEW_TOKENS_LIMIT;
import static io.armguard.config.ArmguardConfig.DECODE_STEP_MS_WORST;
import static io.armguard.config.ArmguardConfig.DECODE_TOP_K;
import static io.armguard.config.ArmguardConfig.DECODE_TOP_K_LIMIT;
import static io.armguard.config.ArmguardConfig.REWRITE_MAX_ATTEMPTS;
import static io.armguard.config.ArmguardConfig.TRANSACTION_TIMEOUT_MS;

/** The checks between keys that {@link ArmguardConfig} runs once every value is valid alone. */
final class CrossFieldChecks {

  private CrossFieldChecks() {}

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
    // Why: a batch is decoded inside one transaction; if it can outlive transaction.timeout.ms the
    // broker aborts the transaction and the whole batch is decoded again, forever.
    long worstBatchMs = c.worstCaseBatchMs();
    if (worstBatchMs + c.batchMaxDelayMs() + c.commitIntervalMs() >= c.transactionTimeoutMs()) {
      throw new ConfigException(
          BATCH_SIZE + "," + TRANSACTION_TIMEOUT_MS,
          String.format(
              "a worst-case batch (%s=%d x %s=%d x (1 + %s=%d) x %s=%d ms = %d ms) plus %s and %s"
                  + " must stay below %s=%d; lower the batch size or token limit, or raise the"
                  + " timeout",
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
              c.transactionTimeoutMs()));
    }
  }
}
