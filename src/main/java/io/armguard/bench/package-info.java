/**
 * Benchmarks, each reporting JSON through Gson: batched decoding per strategy ({@link
 * io.armguard.bench.DecodeBenchmark}), a backbone's forward cost ({@link
 * io.armguard.bench.BackboneBenchmark}) and the whole pipeline through Kafka against the same
 * moderator without it ({@link io.armguard.bench.PipelineBenchmark}). Summary statistics live once,
 * in {@link io.armguard.bench.Statistics}. The {@code bench *} commands only parse options, start
 * what is measured and print.
 *
 * <p>Allowed imports: {@code streams}, {@code moderate}, {@code decode}, {@code reward}, {@code
 * model}, the ground floor ({@code config}, {@code schema}, {@code data}), Kafka clients, DJL,
 * Gson; nothing of {@code cli}, {@code train} or {@code eval}.
 */
package io.armguard.bench;
