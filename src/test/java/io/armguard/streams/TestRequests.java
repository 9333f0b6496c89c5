package io.armguard.streams;

import io.armguard.schema.GenerationRequest;
import io.armguard.schema.Mode;
import java.time.Instant;
import java.util.Map;

/** Request builders shared by the streams tests. */
final class TestRequests {

  private TestRequests() {}

  static GenerationRequest generate(String id, String prompt) {
    return GenerationRequest.newBuilder()
        .setRequestId(id)
        .setMode(Mode.GENERATE)
        .setPrompt(prompt)
        .setMaxNewTokens(4)
        .setCreatedAt(Instant.ofEpochMilli(1_000))
        .setAttributes(Map.of("test", "yes"))
        .build();
  }

  static GenerationRequest moderate(String id, String prompt, String response) {
    return GenerationRequest.newBuilder()
        .setRequestId(id)
        .setMode(Mode.MODERATE)
        .setPrompt(prompt)
        .setResponse(response)
        .setMaxNewTokens(4)
        .setCreatedAt(Instant.ofEpochMilli(1_000))
        .build();
  }
}
