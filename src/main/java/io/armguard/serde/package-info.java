/**
 * Confluent Schema Registry client (REST and the in-memory {@code mock://} registry), the caching
 * and negative-caching layers, and the Confluent-wire-format Avro serdes. An unreachable registry
 * is an unavailable dependency ({@code RegistryUnavailableException}: hold and retry), only a
 * definite 404 marks a record undecodable.
 *
 * <p>Ground floor: imports {@code schema}, {@code config}, Kafka and Avro; no upper floor.
 */
package io.armguard.serde;
