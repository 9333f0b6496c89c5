/**
 * Guided decoding: the batched KV-cached decoder ({@code BatchDecoder}), the sampler, the {@code
 * Guidance} plug-in point and its ARM/RAD implementations, prefix scoring, and {@link
 * io.armguard.decode.DecodingEngine}, the implementation of the {@link
 * io.armguard.decode.GuidedEngine} contract (whose javadoc states which calls are safe from another
 * thread). Only plain Java records leave the package.
 *
 * <p>Allowed imports: {@code reward}, {@code model}, DJL; nothing of Kafka, {@code streams}, {@code
 * moderate} or the upper floors.
 */
package io.armguard.decode;
