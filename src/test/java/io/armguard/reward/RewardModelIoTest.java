package io.armguard.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.armguard.model.LeftPadding;
import io.armguard.model.ModelDirectory;
import io.armguard.model.SafetensorsDType;
import io.armguard.model.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reward models round-trip through the Hugging Face layout plus armguard.json. */
class RewardModelIoTest {

  private static NDManager manager;
  private static TextTokenizer tokenizer;
  private static final int[][] TEXTS = {{1, 2, 3, 4, 5, 6}, {200, 100, 50}};

  @TempDir Path tmp;

  @BeforeAll
  static void setUp() throws Exception {
    manager = NDManager.newBaseManager();
    tokenizer = RewardFixtures.tokenizer();
  }

  @AfterAll
  static void tearDown() {
    tokenizer.close();
    manager.close();
  }

  @Test
  void savedAndLoadedRadModelGivesBitIdenticalScores() throws IOException {
    roundTrip(RewardFixtures.rad(manager, tokenizer, 3), RadRewardModel.class);
  }

  @Test
  void savedAndLoadedArmModelGivesBitIdenticalScores() throws IOException {
    roundTrip(RewardFixtures.arm(manager, tokenizer, 4), ArmRewardModel.class);
  }

  private void roundTrip(RewardModel model, Class<?> type) throws IOException {
    Path dir = tmp.resolve(model.info().kind().jsonName());
    model.save(dir, SafetensorsDType.F32);
    assertTrue(Files.exists(dir.resolve(RewardModelInfo.FILE)));
    try (NDManager m = manager.newSubManager()) {
      RewardModel loaded = RewardModels.load(dir, m);
      try {
        assertTrue(type.isInstance(loaded));
        assertEquals(model.info(), loaded.info());
        assertTrue(loaded.id().startsWith(model.info().kind().jsonName() + "@"), loaded.id());
        assertTrue(loaded.tokenizer().sameVocabulary(tokenizer));
        assertArrayEquals(scores(model, m), scores(loaded, m), "scores must be bit-identical");
      } finally {
        loaded.tokenizer().close();
      }
    }
  }

  @Test
  void armguardJsonRoundTripsAndValidates(@TempDir Path dir) throws IOException {
    RewardModelInfo info =
        new RewardModelInfo(RewardKind.RAD, List.of("pos", "neg"), "pos", "TOWARD_LABEL", "gpt2");
    info.write(dir);
    assertEquals(info, RewardModelInfo.read(dir));
    assertEquals(0, info.steeringIndex());
    assertThrows(
        IllegalArgumentException.class,
        () -> new RewardModelInfo(RewardKind.ARM, List.of("a"), "b", "AWAY_FROM_LABEL", ""));
    Files.writeString(
        dir.resolve(RewardModelInfo.FILE), "{\"kind\": \"qux\", \"labels\": [\"a\"]}");
    IOException e = assertThrows(IOException.class, () -> RewardModelInfo.read(dir));
    assertTrue(e.getMessage().contains("unknown reward model kind 'qux'"), e.getMessage());
  }

  @Test
  void missingMetadataOrStrayTensorsFailTheLoadClearly() throws IOException {
    RewardModel rad = RewardFixtures.rad(manager, tokenizer, 6);
    Path plain = tmp.resolve("plain-lm");
    ModelDirectory.save(plain, rad.backbone(), Map.of(), tokenizer, SafetensorsDType.F32);
    NoSuchFileException missing =
        assertThrows(NoSuchFileException.class, () -> RewardModels.load(plain, manager));
    assertTrue(missing.getMessage().contains("not a reward model directory"));

    Path stray = tmp.resolve("stray");
    Map<String, NDArray> extras = new LinkedHashMap<>(rad.headTensors());
    extras.put("value_head.weight", manager.zeros(new ai.djl.ndarray.types.Shape(1, 32)));
    ModelDirectory.save(stray, rad.backbone(), extras, tokenizer, SafetensorsDType.F32);
    rad.info().write(stray);
    IOException e = assertThrows(IOException.class, () -> RewardModels.load(stray, manager));
    assertTrue(e.getMessage().contains("value_head.weight"), e.getMessage());

    Path noHead = tmp.resolve("no-head");
    ModelDirectory.save(noHead, rad.backbone(), Map.of(), tokenizer, SafetensorsDType.F32);
    RewardFixtures.info(RewardKind.ARM).write(noHead);
    IOException e2 = assertThrows(IOException.class, () -> RewardModels.load(noHead, manager));
    assertTrue(e2.getMessage().contains("missing head tensor arm_head.baseline"), e2.getMessage());
  }

  private static float[] scores(RewardModel model, NDManager parent) {
    try (NDManager m = parent.newSubManager()) {
      NDList in = LeftPadding.pad(TEXTS, 0, m);
      return model.prefixScores(in.get(0), in.get(1), false).toFloatArray();
    }
  }
}
