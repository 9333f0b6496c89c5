package io.armguard.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import io.armguard.model.CausalLm;
import io.armguard.model.GptBackbone;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.RewardFixtures;
import io.armguard.reward.RewardModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ARM and RAD guided batches and prefix scoring leave the live NDArray count of the weights'
 * manager tree flat (nothing computed from a weight may stay in the weights' manager).
 */
class RewardGuidanceLeakTest {

  @Test
  void liveArrayCountStaysFlatOverManyGuidedBatches() throws Exception {
    try (NDManager root = NDManager.newBaseManager();
        TextTokenizer tok = RewardFixtures.tokenizer()) {
      CausalLm lm =
          new CausalLm(GptBackbone.randomlyInitialized(RewardFixtures.lmConfig(), root, 5))
              .forInference();
      RewardModel arm = RewardFixtures.arm(root, tok, 6);
      RewardModel rad = RewardFixtures.rad(root, tok, 7);
      BatchDecoder d = new BatchDecoder(lm, root, 299);
      RewardPrefixScorer scorer = new RewardPrefixScorer(arm, tok, root);
      RewardPrefixScorer radScorer = new RewardPrefixScorer(rad, tok, root);
      int[][] prompts = {{1, 2, 3, 4, 5, 6}, {7, 8}, {9}};
      List<DecodeRequest> reqs =
          List.of(
              request("a", 10, 20, 1f, 1),
              request("b", 4, 5, 0f, 2),
              request("c", 12, 50, 0.8f, 3));
      List<TextScoreRequest> texts = List.of(new TextScoreRequest("ab", "cd ef"));
      Runnable round =
          () -> {
            d.decode(prompts, reqs, new RewardGuidanceProvider(arm));
            d.decode(prompts, reqs, new RewardGuidanceProvider(rad));
            scorer.scorePrefixes(texts);
            radScorer.scorePrefixes(texts);
          };
      round.run();
      int baseline = root.getManagedArrays().size();
      for (int i = 0; i < 15; i++) {
        round.run();
        assertEquals(baseline, root.getManagedArrays().size(), "after round " + i);
      }
    }
  }

  private static DecodeRequest request(String id, int maxNew, int topK, float temp, long seed) {
    return new DecodeRequest(
        id, "p", maxNew, topK, temp, seed, Strategy.ARM, 3f, SteeringDirection.AWAY_FROM_LABEL);
  }
}
