package io.armguard.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.armguard.model.GptBackbone;
import io.armguard.model.GptConfig;
import io.armguard.model.ModelDirectory;
import io.armguard.model.SafetensorsDType;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.RewardFixtures;
import io.armguard.reward.RewardKind;
import io.armguard.reward.RewardModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Building engines from model directories: the LM/reward tokenizer check happens at load. */
class DecodingModelsTest {

  @TempDir Path tmp;

  @Test
  void loadsLmAndRewardDirectoriesIntoAWorkingEngine() throws Exception {
    Path lmDir = tmp.resolve("lm");
    Path armDir = tmp.resolve("arm");
    try (NDManager m = NDManager.newBaseManager();
        TextTokenizer tok = RewardFixtures.tokenizer()) {
      GptBackbone lm = GptBackbone.randomlyInitialized(RewardFixtures.lmConfig(), m, 1);
      ModelDirectory.save(lmDir, lm, Map.of(), tok, SafetensorsDType.F32);
      RewardFixtures.arm(m, tok, 2).save(armDir, SafetensorsDType.F32);
    }
    try (DecodingModels models = DecodingModels.load(lmDir, List.of(armDir), "cpu", 1);
        GuidedEngine engine = models.newEngine()) {
      DecodeResult r =
          engine
              .generate(
                  List.of(
                      new DecodeRequest(
                          "x",
                          "Hello",
                          6,
                          5,
                          1f,
                          3,
                          Strategy.ARM,
                          5f,
                          SteeringDirection.AWAY_FROM_LABEL)))
              .get(0);
      assertTrue(r.tokenIds().length <= 6 && r.tokenIds().length == r.tokenRewards().length);
      assertTrue(r.stats().steps() >= 1);
      assertTrue(engine.lmId().startsWith("lm@"), engine.lmId());
      assertTrue(engine.rewardId().startsWith("arm@"), engine.rewardId());
      assertEquals(
          List.of(
              new LoadedModel(LoadedModel.LM, engine.lmId()),
              new LoadedModel(LoadedModel.REWARD, engine.rewardId())),
          models.loaded(),
          "the models a service publishes as armguard_model_info");
      IllegalArgumentException noRad =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  engine.generate(
                      List.of(
                          new DecodeRequest(
                              "y",
                              "Hello",
                              2,
                              5,
                              1f,
                              3,
                              Strategy.RAD,
                              5f,
                              SteeringDirection.AWAY_FROM_LABEL))));
      assertTrue(noRad.getMessage().contains("RAD"), noRad.getMessage());
    }
  }

  @Test
  void rewardModelWithAnotherTokenizerFailsAtLoad() throws Exception {
    Path lmDir = tmp.resolve("lm");
    Path radDir = tmp.resolve("rad");
    Path smallDir = tmp.resolve("rad-small-vocab");
    try (NDManager m = NDManager.newBaseManager();
        TextTokenizer tok = RewardFixtures.tokenizer();
        TextTokenizer other = TextTokenizer.fromJson(swapTwoTokens(tok.json()));
        TextTokenizer smaller = TextTokenizer.gpt2(RewardFixtures.MERGES - 1)) {
      ModelDirectory.save(
          lmDir,
          GptBackbone.randomlyInitialized(RewardFixtures.lmConfig(), m, 1),
          Map.of(),
          tok,
          SafetensorsDType.F32);
      // same size, different ids: only the tokenizer check can tell
      RewardModels.random(
              RewardFixtures.rmConfig(), RewardFixtures.info(RewardKind.RAD), other, m, 2)
          .save(radDir, SafetensorsDType.F32);
      RewardModels.random(
              GptConfig.of(299, 64, 32, 1, 4), RewardFixtures.info(RewardKind.ARM), smaller, m, 3)
          .save(smallDir, SafetensorsDType.F32);
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DecodingModels.load(lmDir, List.of(radDir), "cpu", 1));
    assertTrue(e.getMessage().contains("reward model rad@"), e.getMessage());
    assertTrue(e.getMessage().contains("cannot guide language model lm@"), e.getMessage());
    assertTrue(e.getMessage().contains("tokenizer.json files differ"), e.getMessage());
    IllegalArgumentException v =
        assertThrows(
            IllegalArgumentException.class,
            () -> DecodingModels.load(lmDir, List.of(smallDir), "cpu", 1));
    assertTrue(v.getMessage().contains("vocab_size 299 != 300"), v.getMessage());
  }

  /** The tokenizer.json with the ids of two vocabulary entries swapped. */
  private static String swapTwoTokens(String json) {
    JsonObject root = JsonParser.parseString(json).getAsJsonObject();
    JsonObject vocab = root.getAsJsonObject("model").getAsJsonObject("vocab");
    String a = null;
    String b = null;
    for (String key : vocab.keySet()) {
      int id = vocab.get(key).getAsInt();
      if (id == 65) {
        a = key;
      } else if (id == 66) {
        b = key;
      }
    }
    vocab.addProperty(a, 66);
    vocab.addProperty(b, 65);
    return root.toString();
  }
}
