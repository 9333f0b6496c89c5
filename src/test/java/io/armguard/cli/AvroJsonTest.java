package io.armguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.armguard.schema.Action;
import io.armguard.schema.Completion;
import io.armguard.schema.Mode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AvroJsonTest {

  @Test
  void fieldsUnderSchemaNamesUnionsUnwrappedTimesAsIsoAndNaNAsNull() {
    Map<String, Float> scores = new LinkedHashMap<>();
    scores.put("toxicity", 0.25f);
    scores.put("insult", Float.NaN);
    Completion c =
        Completion.newBuilder()
            .setRequestId("it's")
            .setMode(Mode.MODERATE)
            .setAction(Action.ALLOWED)
            .setText("<b>fine</b>")
            .setToxicity(0.25f)
            .setPromptTokens(3)
            .setCompletionTokens(0)
            .setLmModel("lm")
            .setRewardModel("rm")
            .setFlagged(false)
            .setCategories(Map.of("toxicity", false))
            .setCategoryScores(scores)
            .setCompletedAt(Instant.parse("2026-12-01T10:37:05.649Z"))
            .build();
    var o = AvroJson.of(c);
    assertEquals("it's", o.get("request_id").getAsString());
    assertEquals("MODERATE", o.get("mode").getAsString());
    assertEquals("<b>fine</b>", o.get("text").getAsString());
    assertEquals(0.25f, o.get("toxicity").getAsFloat());
    assertEquals(true, o.get("conversation_id").isJsonNull());
    assertEquals("2026-12-01T10:37:05.649Z", o.get("completed_at").getAsString());
    assertEquals(true, o.getAsJsonObject("category_scores").get("insult").isJsonNull());
    assertEquals(0.25f, o.getAsJsonObject("category_scores").get("toxicity").getAsFloat());
  }
}
