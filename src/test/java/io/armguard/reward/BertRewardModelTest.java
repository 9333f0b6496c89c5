package io.armguard.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.armguard.model.AttentionMode;
import io.armguard.model.BertBackbone;
import io.armguard.model.BertConfig;
import io.armguard.model.LeftPadding;
import io.armguard.model.ModelDirectory;
import io.armguard.model.SafetensorsDType;
import io.armguard.model.TextTokenizer;
import io.armguard.model.onnx.MiniLmFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RAD and ARM reward models on the imported MiniLM: the encoder becomes causal, ARM's frozen E is
 * the word embedding matrix with [CLS] as BOS, and a saved model reloads to identical scores and
 * re-saves to identical bytes.
 */
class BertRewardModelTest {

  @Test
  void radAndArmOnMiniLmRoundTripBitExactly(@TempDir Path tmp) throws Exception {
    Path minilm = MiniLmFixture.importedDir();
    for (RewardKind kind : RewardKind.values()) {
      Path dir = tmp.resolve(kind.jsonName());
      Path again = tmp.resolve(kind.jsonName() + "-again");
      float[] before;
      try (NDManager m = NDManager.newBaseManager()) {
        ModelDirectory.Loaded base = ModelDirectory.load(minilm, m);
        RewardModel model =
            RewardModels.fromLanguageModel(
                base.backbone(), 2, RewardFixtures.info(kind), base.tokenizer(), m);
        BertBackbone bert = assertInstanceOf(BertBackbone.class, model.backbone());
        assertEquals(AttentionMode.CAUSAL, bert.attentionMode());
        assertEquals(2, bert.config().layerCount());
        before = scores(model, m);
        model.save(dir, SafetensorsDType.F32);
        base.tokenizer().close();
      }
      assertTrue(BertConfig.read(dir.resolve(ModelDirectory.CONFIG)).isDecoder());
      try (NDManager m = NDManager.newBaseManager()) {
        RewardModel loaded = RewardModels.load(dir, m);
        assertArrayEquals(before, scores(loaded, m));
        loaded.save(again, SafetensorsDType.F32);
        loaded.tokenizer().close();
      }
      assertArrayEquals(
          Files.readAllBytes(dir.resolve(ModelDirectory.WEIGHTS)),
          Files.readAllBytes(again.resolve(ModelDirectory.WEIGHTS)));
    }
  }

  @Test
  void armFreezesTheWordEmbeddingsAndStartsFromCls() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      ModelDirectory.Loaded base = ModelDirectory.load(MiniLmFixture.importedDir(), m);
      ArmRewardModel arm =
          (ArmRewardModel)
              RewardModels.fromLanguageModel(
                  base.backbone(), 1, RewardFixtures.info(RewardKind.ARM), base.tokenizer(), m);
      assertEquals(101, arm.bosId()); // [CLS]
      assertFalse(arm.trainableParameters().containsKey(BertBackbone.TOKEN_EMBEDDING));
      assertFalse(
          arm.backbone().namedParameters().get(BertBackbone.TOKEN_EMBEDDING).requiresGradient());
      assertEquals(30522, arm.embedding().getShape().get(0));
      base.tokenizer().close();
    }
  }

  @Test
  void aBidirectionalBackboneCannotCarryARewardHead() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      BertBackbone bi = BertBackbone.randomlyInitialized(BertConfig.of(200, 16, 1, 2), m, 1);
      assertThrows(
          IllegalArgumentException.class,
          () -> RewardModels.withNewHead(bi, RewardFixtures.info(RewardKind.RAD), null, m));
    }
  }

  private static float[] scores(RewardModel model, NDManager m) {
    TextTokenizer tok = model.tokenizer();
    int[][] texts = {tok.encode("you are a wonderful person"), tok.encode("shut up")};
    NDList in = LeftPadding.pad(texts, 0, m);
    NDArray s = model.prefixScores(in.get(0), in.get(1), false);
    return s.toFloatArray();
  }
}
