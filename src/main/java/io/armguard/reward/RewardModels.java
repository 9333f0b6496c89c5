package io.armguard.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.armguard.model.AttentionMode;
import io.armguard.model.Backbone;
import io.armguard.model.BackboneConfig;
import io.armguard.model.ExternalTensors;
import io.armguard.model.ModelDirectory;
import io.armguard.model.PinnedArtifacts;
import io.armguard.model.SafetensorsDType;
import io.armguard.model.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads, saves and checks reward models stored in the Hugging Face layout: {@code config.json},
 * {@code model.safetensors} (the backbone's Hugging Face names plus the head's own tensors, see
 * {@link RadHead} and {@link ArmHead}), {@code tokenizer.json} and {@code armguard.json} ({@link
 * RewardModelInfo}), and optionally {@code external.json}: tensors referenced in a pinned Maven
 * artifact instead of stored (ARM's frozen word embedding; see {@link ExternalTensors}), which
 * {@link #load} materialises through {@link ModelDirectory#load}.
 */
public final class RewardModels {

  private RewardModels() {}

  /**
   * Loads a reward model directory into {@code manager}.
   *
   * @throws IOException when armguard.json, the backbone or the head tensors are missing or
   *     malformed, or the file holds tensors that belong to neither
   */
  public static RewardModel load(Path dir, NDManager manager) throws IOException {
    return load(dir, manager, PinnedArtifacts.defaults());
  }

  /**
   * Loads a reward model directory into {@code manager}, reading the tensors its {@code
   * external.json} lists from {@code artifacts} (see {@link ModelDirectory#load(Path, NDManager,
   * PinnedArtifacts)}).
   */
  public static RewardModel load(Path dir, NDManager manager, PinnedArtifacts artifacts)
      throws IOException {
    RewardModelInfo info = RewardModelInfo.read(dir);
    ModelDirectory.Loaded loaded = ModelDirectory.load(dir, manager, artifacts);
    Map<String, NDArray> extras = new HashMap<>(loaded.extras());
    int d = loaded.config().hiddenSize();
    int labels = info.labelCount();
    try {
      RewardModel model =
          switch (info.kind()) {
            case RAD ->
                new RadRewardModel(
                    loaded.backbone(),
                    RadHead.fromTensors(extras, d, labels, manager),
                    info,
                    loaded.tokenizer(),
                    loaded.id());
            case ARM ->
                new ArmRewardModel(
                    loaded.backbone(),
                    ArmHead.fromTensors(extras, d, labels, manager),
                    info,
                    loaded.tokenizer(),
                    loaded.id());
          };
      Set<String> unexpected = new TreeSet<>(extras.keySet());
      unexpected.removeAll(model.headTensors().keySet());
      if (!unexpected.isEmpty()) {
        throw new IOException(
            "tensors that belong to neither the backbone nor the "
                + info.kind().jsonName()
                + " head: "
                + unexpected);
      }
      return model;
    } catch (IOException | RuntimeException e) {
      if (loaded.tokenizer() != null) {
        loaded.tokenizer().close();
      }
      if (e instanceof IOException) {
        throw new IOException(dir.resolve(ModelDirectory.WEIGHTS) + ": " + e.getMessage(), e);
      }
      throw e;
    }
  }

  /** Writes {@code model} to {@code dir} (created if needed); see {@link RewardModel#save}. */
  static void save(RewardModel model, Path dir, SafetensorsDType dtype) throws IOException {
    save(model, dir, dtype, ExternalTensors.none(), null);
  }

  /**
   * Writes {@code model} to {@code dir} with the tensors {@code external} names referenced instead
   * of stored; see {@link ModelDirectory#save(Path, io.armguard.model.Backbone, Map, TextTokenizer,
   * SafetensorsDType, ExternalTensors, PinnedArtifacts)} for the check each reference passes.
   *
   * @param artifacts where the sources are found; null for {@link PinnedArtifacts#defaults()}
   */
  public static void save(
      RewardModel model,
      Path dir,
      SafetensorsDType dtype,
      ExternalTensors external,
      PinnedArtifacts artifacts)
      throws IOException {
    ModelDirectory.save(
        dir, model.backbone(), model.headTensors(), model.tokenizer(), dtype, external, artifacts);
    model.info().write(dir);
  }

  /**
   * A randomly initialised reward model (for tests and benchmarks before training), reproducible
   * for a seed (libtorch's global generator: do not initialise concurrently).
   */
  public static RewardModel random(
      BackboneConfig config,
      RewardModelInfo info,
      TextTokenizer tokenizer,
      NDManager manager,
      int seed) {
    ai.djl.engine.Engine.getInstance().setRandomSeed(seed);
    Backbone backbone = ModelDirectory.newBackbone(config.asCausal());
    backbone.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32);
    return withNewHead(backbone, info, tokenizer, manager);
  }

  /**
   * A reward model that starts from a pretrained backbone's first {@code layers} blocks (plus its
   * embeddings and, for GPT-2, final layer norm, copied) with a new random head: the papers
   * initialise the reward model from a pretrained LM; a smaller one keeps guidance cheap. A
   * bidirectional BERT becomes causal ({@code is_decoder: true}): the reward models score every
   * prefix and step with a KV cache.
   *
   * @param pretrained a GPT-2 LM or a BERT-family encoder (not modified)
   * @param layers 1..pretrained's layer count
   * @param manager where the copies and the head live
   */
  public static RewardModel fromLanguageModel(
      Backbone pretrained,
      int layers,
      RewardModelInfo info,
      TextTokenizer tokenizer,
      NDManager manager) {
    Backbone backbone = ModelDirectory.causalCopy(pretrained, layers, manager);
    return withNewHead(backbone, info, tokenizer, manager);
  }

  /**
   * A reward model of {@code info.kind()} on {@code backbone} (used as is, not copied) with a new
   * random head (libtorch's global generator).
   *
   * @throws IllegalArgumentException for a bidirectional backbone
   */
  public static RewardModel withNewHead(
      Backbone backbone, RewardModelInfo info, TextTokenizer tokenizer, NDManager manager) {
    return switch (info.kind()) {
      case RAD -> RadRewardModel.withNewHead(backbone, info, tokenizer, manager);
      case ARM -> ArmRewardModel.withNewHead(backbone, info, tokenizer, manager);
    };
  }

  /** Fails unless {@code backbone} attends causally (reward models score every prefix). */
  static void requireCausal(Backbone backbone) {
    if (backbone.attentionMode() != AttentionMode.CAUSAL) {
      throw new IllegalArgumentException(
          "a reward model needs a causal backbone; this "
              + backbone.config().modelType()
              + " is bidirectional (BERT: BertConfig.asCausal(), is_decoder: true)");
    }
  }

  /**
   * Checks that a reward model can guide a language model: both use the same tokenizer (ARM scores
   * the LM's token ids through its own embedding; RAD feeds the LM's candidates to its backbone).
   *
   * @param lmTokenizer the LM's tokenizer, or null when the LM directory has none
   * @throws IllegalArgumentException naming both models and what differs
   */
  public static void requireCompatible(
      RewardModel reward, String lmId, BackboneConfig lmConfig, TextTokenizer lmTokenizer) {
    String pair = "reward model " + reward.id() + " cannot guide language model " + lmId + ": ";
    if (reward.backbone().config().vocabSize() != lmConfig.vocabSize()) {
      throw new IllegalArgumentException(
          pair
              + "vocab_size "
              + reward.backbone().config().vocabSize()
              + " != "
              + lmConfig.vocabSize()
              + " (both must use one tokenizer)");
    }
    if (reward.tokenizer() == null || lmTokenizer == null) {
      throw new IllegalArgumentException(
          pair
              + (reward.tokenizer() == null ? "the reward model" : "the language model")
              + " has no tokenizer.json, so the shared vocabulary cannot be checked");
    }
    if (!reward.tokenizer().sameVocabulary(lmTokenizer)) {
      throw new IllegalArgumentException(
          pair
              + "their tokenizer.json files differ (different token ids or merges); a reward model"
              + " must be trained with the language model's tokenizer");
    }
  }
}
