package io.armguard.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import io.armguard.model.CausalLm;
import io.armguard.model.TinyModels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Many batches (guided and not) leave the live NDArray count of the model's manager tree flat. */
class DecoderLeakTest {

  @Test
  void liveArrayCountStaysFlatOverManyBatches() {
    try (NDManager root = NDManager.newBaseManager()) {
      CausalLm lm = TinyModels.lm(TinyModels.config(), root, 5).forInference();
      BatchDecoder d = new BatchDecoder(lm, root, 299);
      ParityGuidance parity = new ParityGuidance();
      int[][] prompts = {{1, 2, 3, 4, 5, 6}, {7, 8}, {9}};
      List<DecodeRequest> reqs =
          List.of(
              BatchDecoderTest.request("a", 10, 20, 1f, 1),
              BatchDecoderTest.request("b", 6, 5, 0f, 2),
              BatchDecoderTest.request("c", 12, 50, 0.8f, 3));
      d.decode(prompts, reqs, null);
      int baseline = root.getManagedArrays().size();
      try (NDManager probe = root.newSubManager()) {
        probe.create(1f);
        assertEquals(baseline + 1, root.getManagedArrays().size(), "the count sees sub-managers");
      }
      for (int i = 0; i < 60; i++) {
        d.decode(prompts, reqs, i % 2 == 0 ? null : parity);
        assertEquals(baseline, root.getManagedArrays().size(), "after batch " + i);
      }
    }
  }
}
