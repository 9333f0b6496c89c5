package io.armguard.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.armguard.model.GptConfig;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.RadRewardModel;
import io.armguard.reward.RewardKind;
import io.armguard.reward.RewardModel;
import io.armguard.reward.RewardModelInfo;
import io.armguard.reward.RewardModels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chunked, KV-cached full-vocabulary RAD row equals scoring prefix + v from scratch. */
class RewardMatrixTest {

  @Test
  void radRowEqualsUncachedScoringOfEachCandidate() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      TextTokenizer tokenizer = TextTokenizer.gpt2(2000);
      GptConfig config = GptConfig.of(tokenizer.vocabSize(), 32, 16, 1, 2);
      RewardModel model =
          RewardModels.random(
              config,
              RewardModelInfo.detox(RewardKind.RAD, List.of("toxicity"), "test"),
              tokenizer,
              manager,
              3);
      int[] prefix = {5, 17, 300};
      float[] row = RewardMatrix.compute(model, new int[][] {prefix}, manager)[0];
      assertEquals(tokenizer.vocabSize(), row.length);
      RadRewardModel rad = (RadRewardModel) model;
      for (int v : new int[] {0, 1, 1023, 1024, 1500, tokenizer.vocabSize() - 1}) {
        long[][] ids = {{5, 17, 300, v}};
        long[][] mask = {{1, 1, 1, 1}};
        float expected =
            rad.scores(manager.create(ids), manager.create(mask), false)
                .get(new NDIndex("0, 3, 0"))
                .getFloat();
        assertEquals(expected, row[v], 1e-4, "token " + v);
      }
    }
  }
}
