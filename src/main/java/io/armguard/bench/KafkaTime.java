package io.armguard.bench;

import java.util.List;

/**
 * Where a pipeline round's time outside decoding went, in ms, batch by batch.
 *
 * @param headMs first request sent until the first batch's decode started
 * @param betweenMs summed gaps between one batch's forward and the next batch's decode start
 * @param tailMs last batch forwarded until its last completion reached the consumer (commit)
 */
public record KafkaTime(double headMs, double betweenMs, double tailMs) {

  /**
   * Splits a round around its batches.
   *
   * @param t0WallMs when the round's first request was sent
   * @param lastReceivedWallMs when its last completion was consumed
   * @param batches the round's batches in forward order ({@link BatchTiming#group}); none: NaN
   */
  public static KafkaTime of(long t0WallMs, long lastReceivedWallMs, List<BatchTiming> batches) {
    if (batches.isEmpty()) {
      return new KafkaTime(Double.NaN, Double.NaN, Double.NaN);
    }
    double head = batches.get(0).decodeStartMs() - t0WallMs;
    double between = 0;
    for (int i = 1; i < batches.size(); i++) {
      between += batches.get(i).decodeStartMs() - batches.get(i - 1).forwardedMs();
    }
    double tail = lastReceivedWallMs - batches.get(batches.size() - 1).forwardedMs();
    return new KafkaTime(head, between, tail);
  }
}
