/**
 * Data: pinned public sources, fetching and deterministic preparation, the held-out gold set, the
 * lexicon, and the labelled reply set written for armguard ({@code ReplySet}, split by batch), with
 * the metrics every evaluation shares ({@code BinaryMetrics}, {@code ReplyMetrics}).
 *
 * <p>Ground floor: imports the JDK and Gson only; no upper floor.
 */
package io.armguard.data;
