package io.armguard.decode;

/**
 * A streamed reply as it stands, for {@link GuidedEngine#scoreStreams}: the text followed so far
 * (scored alone, BOS + text, as MODERATE scores a reply).
 *
 * @param streamId the stream; results for it may be cached under this id
 * @param text the reply so far (may be empty)
 */
public record StreamText(String streamId, String text) {}
