package io.armguard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.armguard.config.ArmguardConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineBenchResultTest {

  private static KafkaRoundTrip.Round round(double seconds, boolean complete) {
    List<BatchTiming> batches =
        List.of(new BatchTiming(0, 0, 2, 100, 1110), new BatchTiming(0, 2, 2, 300, 1425));
    return new KafkaRoundTrip.Round(
        seconds, List.of(10.0, 20.0, 30.0, 40.0), batches, complete, new KafkaTime(10, 15, 15));
  }

  @Test
  void theJsonLineCarriesMediansRatiosAndTheKafkaSplit() {
    ArmguardConfig config = ArmguardConfig.from(Map.of(), Map.of());
    PipelineBenchResult r =
        new PipelineBenchResult(
            new PipelineBenchmark.Settings(4, 16, 3, 0),
            config,
            new double[] {1.0, 2.0, 4.0},
            new double[] {1.0, 1.0, 1.0},
            List.of(round(4.0, true), round(8.0, true), round(2.0, true)),
            true);
    JsonObject o = JsonParser.parseString(r.toJsonLine()).getAsJsonObject();
    assertEquals("pipeline", o.get("bench").getAsString());
    assertEquals(1.0, o.get("pipeline_rps").getAsDouble()); // 4 requests / median 4 s
    assertEquals(2.0, o.get("direct_rps").getAsDouble());
    assertEquals(0.5, o.get("ratio").getAsDouble());
    assertEquals(0.25, o.get("ratio_vs_main_thread").getAsDouble());
    assertEquals(20.0, o.get("p50_ms").getAsDouble());
    assertEquals(6, o.get("pipeline_batches").getAsInt());
    assertEquals(1.2, o.get("pipeline_decode_s").getAsDouble()); // 3 rounds x 0.4 s
    assertEquals(15.0, o.get("kafka_between_batches_ms").getAsDouble());
    assertEquals(3, o.getAsJsonArray("pipeline_s").size());
    assertEquals(config.batchSize(), o.get("batch_size").getAsInt());
    assertTrue(o.get("random_models").getAsBoolean());
    assertTrue(r.complete());
  }

  @Test
  void anUnansweredRoundMakesTheResultIncomplete() {
    PipelineBenchResult r =
        new PipelineBenchResult(
            new PipelineBenchmark.Settings(4, 16, 2, 0),
            ArmguardConfig.from(Map.of(), Map.of()),
            new double[] {1.0, 1.0},
            new double[] {1.0, 1.0},
            List.of(round(4.0, true), round(4.0, false)),
            false);
    assertFalse(r.complete());
  }
}
