package io.armguard.cli;

import io.armguard.schema.GenerationRequest;
import io.armguard.schema.Mode;
import io.armguard.schema.Strategy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The demo's fixed requests: GENERATE (guided and unguided, some toxic-prone prompts), MODERATE
 * (clean and toxic responses), invalid ones that must come back REJECTED, and one record that is
 * not Avro at all and must land on the dead-letter topic.
 */
final class SampleRequests {

  /** Bytes that no Avro deserializer accepts (no Confluent magic byte). */
  static final byte[] UNDECODABLE =
      "{\"prompt\": \"plain JSON is not Avro\"}".getBytes(StandardCharsets.UTF_8);

  private SampleRequests() {}

  /** Requests in production order; ids say what each one exercises. */
  static List<GenerationRequest> all() {
    return List.of(
        generate("gen-weather", "The weather in the mountains today is", Strategy.ARM),
        generate("gen-toxic-prone-arm", "You are such a stupid", Strategy.ARM),
        generate("gen-toxic-prone-unguided", "You are such a stupid", Strategy.UNGUIDED),
        generate("gen-story", "Once upon a time, in a small village,", null),
        moderate("mod-clean", "How was the movie?", "It was a lovely film with great acting."),
        moderate(
            "mod-insult",
            "What do you think of my code?",
            "The structure is fine, but honestly you are an idiot and this is garbage."),
        moderate(
            "mod-hate",
            "Tell me about your neighbours.",
            "They are loud, stupid people and I hate every one of them."),
        moderate(
            "mod-civil-negative",
            "Did you like the food?",
            "No, honestly the food was cold and the service was slow."),
        strict(
            moderate(
                "mod-strict",
                "Can you help me with my homework?",
                "Sure. The answer is simple, you stupid idiot, figure it out."),
            0.3f),
        invalid("bad-empty-prompt", r -> r.setPrompt("")),
        invalid("bad-moderate-without-response", r -> r.setMode(Mode.MODERATE)),
        invalid("bad-max-new-tokens", r -> r.setMaxNewTokens(100_000)),
        invalid("bad-beta-nan", r -> r.setBeta(Float.NaN)));
  }

  private static GenerationRequest.Builder base(String id, String prompt) {
    return GenerationRequest.newBuilder()
        .setRequestId(id)
        .setConversationId("demo")
        .setPrompt(prompt)
        .setMaxNewTokens(16)
        .setTemperature(0.8f)
        .setCreatedAt(Instant.now())
        .setAttributes(Map.of("source", "armguard demo"));
  }

  private static GenerationRequest generate(String id, String prompt, Strategy strategy) {
    return base(id, prompt).setMode(Mode.GENERATE).setStrategy(strategy).build();
  }

  private static GenerationRequest moderate(String id, String prompt, String response) {
    return base(id, prompt).setMode(Mode.MODERATE).setResponse(response).build();
  }

  /** A request with its own, stricter threshold (its rewrites may fail: REDACTED or BLOCKED). */
  private static GenerationRequest strict(GenerationRequest r, float threshold) {
    r.setToxicityThreshold(threshold);
    return r;
  }

  /** The MODERATE requests, which the demo also runs in report-only mode. */
  static List<GenerationRequest> moderations() {
    return all().stream()
        .filter(r -> r.getMode() == Mode.MODERATE && r.getResponse() != null)
        .toList();
  }

  private static GenerationRequest invalid(
      String id, java.util.function.Consumer<GenerationRequest> breakIt) {
    GenerationRequest r = base(id, "A perfectly fine prompt").setMode(Mode.GENERATE).build();
    breakIt.accept(r);
    return r;
  }
}
