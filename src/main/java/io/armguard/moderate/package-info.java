/**
 * The GENERATE and MODERATE policy over the {@code GuidedEngine} contract: the reply scored alone,
 * per-category thresholds, the cut at the clause in which the reply turns (on word boundaries, the
 * kept prefix byte-identical), guided rewrites with a minimum of new tokens, the redact/block
 * fallback, report-only mode, and the {@code Verdict} each request ends in.
 *
 * <p>Allowed imports: {@code decode} (contract and records only); nothing of Kafka, DJL or the
 * upper floors.
 */
package io.armguard.moderate;
