package io.armguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.armguard.schema.GenerationRequest;
import io.armguard.schema.Mode;
import io.armguard.schema.Strategy;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestLinesTest {

  private static final RequestLines.Context CTX =
      new RequestLines.Context("requests.jsonl", () -> "generated-id", 1_700_000_000_000L);

  private static GenerationRequest parse(String line) throws RequestLines.BadLine {
    return RequestLines.parse(line, 7, CTX);
  }

  private static String error(String line) {
    return assertThrows(RequestLines.BadLine.class, () -> parse(line)).getMessage();
  }

  @Test
  void aPromptAloneIsAGenerateRequestWithAGeneratedId() throws Exception {
    GenerationRequest r = parse("{\"prompt\": \"The weather today is\"}");
    assertEquals("generated-id", r.getRequestId());
    assertEquals(Mode.GENERATE, r.getMode());
    assertEquals("The weather today is", r.getPrompt());
    assertNull(r.getResponse());
    assertNull(r.getStrategy(), "unset decoding parameters take the service's defaults");
    assertEquals(Instant.ofEpochMilli(1_700_000_000_000L), r.getCreatedAt());
    assertEquals(Map.of("source", RequestLines.SOURCE), r.getAttributes());
  }

  @Test
  void aResponseMakesItModerateAndEveryFieldIsRead() throws Exception {
    GenerationRequest r =
        parse(
            "{\"id\": \"m1\", \"prompt\": \"How was it?\", \"response\": \"Fine.\","
                + " \"conversation_id\": \"c\", \"strategy\": \"rad\", \"max_new_tokens\": 12,"
                + " \"top_k\": 5, \"beta\": 2.5, \"temperature\": 0, \"seed\": 9000000000,"
                + " \"toxicity_threshold\": 0.4, \"attributes\": {\"team\": \"chat\"}}");
    assertEquals("m1", r.getRequestId());
    assertEquals(Mode.MODERATE, r.getMode());
    assertEquals("Fine.", r.getResponse());
    assertEquals("c", r.getConversationId());
    assertEquals(Strategy.RAD, r.getStrategy());
    assertEquals(12, r.getMaxNewTokens());
    assertEquals(5, r.getTopK());
    assertEquals(2.5f, r.getBeta());
    assertEquals(0f, r.getTemperature());
    assertEquals(9_000_000_000L, r.getSeed());
    assertEquals(0.4f, r.getToxicityThreshold());
    assertEquals(Map.of("source", RequestLines.SOURCE, "team", "chat"), r.getAttributes());
  }

  @Test
  void requestIdIsTheLongFormOfIdAndTheyMustAgree() throws Exception {
    assertEquals("r", parse("{\"request_id\": \"r\", \"prompt\": \"p\"}").getRequestId());
    assertEquals(
        "r", parse("{\"request_id\": \"r\", \"id\": \"r\", \"prompt\": \"p\"}").getRequestId());
    assertEquals(
        "requests.jsonl:7: \"id\" and \"request_id\" differ; give one",
        error("{\"request_id\": \"a\", \"id\": \"b\", \"prompt\": \"p\"}"));
  }

  @Test
  void everyBadLineNamesTheFileTheLineAndWhatIsWrong() {
    assertEquals("requests.jsonl:7: not a JSON object", error("[1, 2]"));
    assertEquals(
        "requests.jsonl:7: not JSON (",
        error("{\"prompt\": ").substring(0, "requests.jsonl:7: not JSON (".length()));
    assertEquals("requests.jsonl:7: \"prompt\" is missing", error("{\"id\": \"x\"}"));
    assertEquals(
        "requests.jsonl:7: \"prompt\" must be a string", error("{\"prompt\": {\"text\": 1}}"));
    assertEquals(
        "requests.jsonl:7: \"max_new_tokens\" must be a number",
        error("{\"prompt\": \"p\", \"max_new_tokens\": \"many\"}"));
    assertEquals(
        "requests.jsonl:7: \"top_k\" must be a whole number (64-bit), not 2.5",
        error("{\"prompt\": \"p\", \"top_k\": 2.5}"));
    assertEquals(
        "requests.jsonl:7: \"max_new_tokens\" is out of range: 3000000000",
        error("{\"prompt\": \"p\", \"max_new_tokens\": 3000000000}"));
    assertEquals(
        "requests.jsonl:7: \"strategy\" must be one of [ARM, RAD, UNGUIDED], not \"UNKNOWN\"",
        error("{\"prompt\": \"p\", \"strategy\": \"UNKNOWN\"}"));
    assertEquals(
        "requests.jsonl:7: \"mode\" must be one of [GENERATE, MODERATE], not \"check\"",
        error("{\"prompt\": \"p\", \"mode\": \"check\"}"));
    assertEquals(
        "requests.jsonl:7: mode MODERATE needs a \"response\" (the reply to check)",
        error("{\"prompt\": \"p\", \"mode\": \"MODERATE\"}"));
    assertEquals(
        "requests.jsonl:7: mode GENERATE takes no \"response\" (use MODERATE to check a reply)",
        error("{\"prompt\": \"p\", \"mode\": \"GENERATE\", \"response\": \"r\"}"));
    assertEquals(
        "requests.jsonl:7: attribute \"n\" must be a string",
        error("{\"prompt\": \"p\", \"attributes\": {\"n\": 1}}"));
  }

  @Test
  void anUnknownFieldIsATypoNotSomethingToDropSilently() {
    String message = error("{\"promt\": \"p\"}");
    assertEquals(
        "requests.jsonl:7: unknown field \"promt\" (known: attributes, beta, conversation_id, id,"
            + " max_new_tokens, mode, prompt, request_id, response, seed, strategy, temperature,"
            + " top_k, toxicity_threshold)",
        message);
  }

  @Test
  void jsonNullReadsAsAbsent() throws Exception {
    GenerationRequest r = parse("{\"prompt\": \"p\", \"response\": null, \"seed\": null}");
    assertEquals(Mode.GENERATE, r.getMode());
    assertNull(r.getSeed());
  }
}
