package io.armguard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.armguard.data.PreparedData;
import io.armguard.model.ModelDirectory;
import io.armguard.model.onnx.MiniLmFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LmTrainerTest {
  @TempDir Path tmp;

  @Test
  void learnsARepetitiveCorpusAndWritesAModelDirectoryWithACard() throws Exception {
    Path data = tmp.resolve("data");
    List<String> docs = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      docs.add("the cat sat on the mat and the dog sat on the log");
    }
    Files.createDirectories(data.resolve("lm"));
    Files.write(data.resolve(PreparedData.LM_TRAIN), docs);
    Files.write(data.resolve(PreparedData.LM_VALID), docs.subList(0, 20));
    LmTrainingOptions o =
        LmTrainingOptions.builder()
            .data(data)
            .out(tmp.resolve("lm"))
            .layers(1)
            .dModel(32)
            .heads(2)
            .context(32)
            .merges(100)
            .batch(8)
            .steps(40)
            .learningRate(1e-2f)
            .warmupSteps(5)
            .clipNorm(1.0)
            .seed(5)
            .evalEvery(20)
            .evalWindows(4)
            .checkpointEvery(20)
            .command("test command")
            .build();
    JsonObject facts;
    try (NDManager root = NDManager.newBaseManager()) {
      facts = new LmTrainer(o, s -> {}).train(root);
    }
    double ppl = facts.get("valid_perplexity").getAsDouble();
    // an untrained model is near-uniform over 357 ids; this corpus is almost deterministic
    assertTrue(ppl < 5, "validation perplexity " + ppl);
    assertTrue(facts.getAsJsonObject("history").has("valid_ppl_step_20"));
    assertEquals(40, facts.get("steps").getAsInt());
    for (String f :
        List.of(
            ModelDirectory.CONFIG,
            ModelDirectory.WEIGHTS,
            ModelDirectory.TOKENIZER,
            "README.md",
            "training.json")) {
      assertTrue(Files.exists(tmp.resolve("lm").resolve(f)), f);
    }
    assertTrue(Files.readString(tmp.resolve("lm/README.md")).contains("test command"));
  }

  @Test
  void resumedRunEndsWithTheWeightsOfAnUninterruptedOne() throws Exception {
    Path data = tmp.resolve("data");
    List<String> docs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      docs.add("story number " + i + " begins with a small fox and ends with a big bear");
    }
    Files.createDirectories(data.resolve("lm"));
    Files.write(data.resolve(PreparedData.LM_TRAIN), docs);
    Files.write(data.resolve(PreparedData.LM_VALID), docs.subList(0, 10));
    try (NDManager root = NDManager.newBaseManager()) {
      new LmTrainer(options(data, tmp.resolve("a")).build(), s -> {}).train(root);
      LmTrainer killed =
          new LmTrainer(options(data, tmp.resolve("b")).interruptAfter(7).build(), s -> {});
      org.junit.jupiter.api.Assertions.assertThrows(
          InterruptedTraining.class, () -> killed.train(root));
      List<String> log = new ArrayList<>();
      new LmTrainer(options(data, tmp.resolve("b")).build(), log::add).train(root);
      assertTrue(log.contains("resuming from step 5"), log.toString());
    }
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        Files.readAllBytes(tmp.resolve("a/model.safetensors")),
        Files.readAllBytes(tmp.resolve("b/model.safetensors")));
  }

  @Test
  void gptFromScratchWithAnEncodersTokenizerSharesItsVocabularyAndSpecialIds() throws Exception {
    Path data = tmp.resolve("data");
    List<String> docs = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      docs.add("thanks for asking, the build passes now and the tests are green");
    }
    Files.createDirectories(data.resolve("lm"));
    Files.write(data.resolve(PreparedData.LM_TRAIN), docs);
    Files.write(data.resolve(PreparedData.LM_VALID), docs.subList(0, 6));
    Path encoder = MiniLmFixture.importedDir();
    JsonObject facts;
    try (NDManager root = NDManager.newBaseManager()) {
      facts =
          new LmTrainer(
                  options(data, tmp.resolve("lm")).steps(6).tokenizerFrom(encoder).build(), s -> {})
              .train(root);
    }
    assertTrue(facts.get("model").getAsString().contains("tokenizer of " + encoder));
    JsonObject config =
        com.google.gson.JsonParser.parseString(
                Files.readString(tmp.resolve("lm").resolve(ModelDirectory.CONFIG)))
            .getAsJsonObject();
    assertEquals("gpt2", config.get("model_type").getAsString());
    assertEquals(30522, config.get("vocab_size").getAsInt());
    assertEquals(101, config.get("bos_token_id").getAsInt()); // [CLS], not GPT-2's last id
    assertEquals(102, config.get("eos_token_id").getAsInt()); // [SEP]
    assertEquals(
        Files.readString(encoder.resolve(ModelDirectory.TOKENIZER)),
        Files.readString(tmp.resolve("lm").resolve(ModelDirectory.TOKENIZER)));
  }

  @Test
  void tokenizerFromAndInitFromAreExclusive() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                options(tmp, tmp.resolve("x"))
                    .initFrom(tmp.resolve("a"))
                    .tokenizerFrom(tmp.resolve("b"))
                    .build());
    assertTrue(e.getMessage().contains("--tokenizer-from"), e.getMessage());
  }

  private static LmTrainingOptions.Builder options(Path data, Path out) {
    return LmTrainingOptions.builder()
        .data(data)
        .out(out)
        .layers(1)
        .dModel(16)
        .heads(2)
        .context(16)
        .merges(50)
        .batch(4)
        .steps(10)
        .learningRate(5e-3f)
        .warmupSteps(2)
        .clipNorm(1.0)
        .seed(9)
        .evalEvery(0)
        .evalWindows(4)
        .checkpointEvery(5)
        .command("test");
  }
}
