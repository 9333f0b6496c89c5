/**
 * The Kafka Streams service: request validation, the dedupe window, the micro-batching processor
 * over a changelogged store (with its per-stream-thread decode worker), the topology, the
 * dead-letter handling, the service itself (health, readiness, Prometheus metrics, {@code POST
 * /v1/moderations}) and the embedded broker used by {@code demo} and {@code bench}. Every request
 * yields exactly one Completion and one AuditRecord (or one dead letter) under exactly-once
 * processing.
 *
 * <p>Allowed imports: {@code moderate}, {@code decode} (the {@code GuidedEngine} contract and its
 * records), the ground floor ({@code config}, {@code schema}, {@code serde}, {@code data}); no DJL
 * types.
 */
package io.armguard.streams;
