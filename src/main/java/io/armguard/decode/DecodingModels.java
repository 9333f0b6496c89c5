package io.armguard.decode;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.armguard.model.CausalLm;
import io.armguard.model.DeviceSpec;
import io.armguard.model.EngineThreads;
import io.armguard.model.ModelDirectory;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.RewardModel;
import io.armguard.reward.RewardModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The weights behind {@link GuidedEngine}s: a language model, its tokenizer and up to one reward
 * model per guided strategy (an ARM model serves ARM requests, a RAD model RAD requests), loaded
 * once and shared. Each thread gets its own engine from {@link #newEngine()}. The first reward
 * model given also scores prefixes ({@link GuidedEngine#scorePrefixes}). Close to free the weights.
 */
public final class DecodingModels implements AutoCloseable {

  private final NDManager manager;
  private final CausalLm lm;
  private final TextTokenizer tokenizer;
  private final String lmId;
  private final List<RewardModel> rewards;

  /**
   * Wraps models already in memory; checks each reward model against the LM.
   *
   * @param manager owned from now on: closed by {@link #close()}
   * @throws IllegalArgumentException on a tokenizer mismatch or two reward models of one kind
   */
  public DecodingModels(
      CausalLm lm,
      TextTokenizer tokenizer,
      String lmId,
      List<RewardModel> rewards,
      NDManager manager) {
    Set<Strategy> seen = EnumSet.noneOf(Strategy.class);
    for (RewardModel r : rewards) {
      RewardModels.requireCompatible(r, lmId, lm.config(), tokenizer);
      if (!seen.add(RewardGuidanceProvider.strategyOf(r))) {
        throw new IllegalArgumentException(
            "two reward models of kind " + r.info().kind().jsonName() + ": give one per kind");
      }
    }
    this.lm = lm;
    this.tokenizer = tokenizer;
    this.lmId = lmId;
    this.rewards = List.copyOf(rewards);
    this.manager = manager;
  }

  /**
   * Loads an LM directory and reward model directories onto a device.
   *
   * @param device {@code auto|cpu|gpu|gpu:N}
   * @param threads libtorch intra-op threads (process-wide)
   * @throws IOException when a directory cannot be read
   * @throws IllegalArgumentException when the LM has no tokenizer or a reward model does not match
   *     it
   */
  public static DecodingModels load(Path lmDir, List<Path> rewardDirs, String device, int threads)
      throws IOException {
    EngineThreads.configure(threads);
    return load(lmDir, rewardDirs, DeviceSpec.parse(device));
  }

  /** Loads onto {@code device} (libtorch's thread count is left as it is). */
  public static DecodingModels load(Path lmDir, List<Path> rewardDirs, Device device)
      throws IOException {
    NDManager manager = NDManager.newBaseManager(device);
    List<RewardModel> rewards = new ArrayList<>();
    TextTokenizer lmTokenizer = null;
    try {
      ModelDirectory.Loaded lm = ModelDirectory.load(lmDir, manager);
      lmTokenizer = lm.tokenizer();
      if (lm.tokenizer() == null) {
        throw new IllegalArgumentException(lmDir + " has no " + ModelDirectory.TOKENIZER);
      }
      for (Path dir : rewardDirs) {
        rewards.add(RewardModels.load(dir, manager));
      }
      return new DecodingModels(lm.lm().forInference(), lm.tokenizer(), lm.id(), rewards, manager);
    } catch (IOException | RuntimeException e) {
      rewards.forEach(DecodingModels::closeTokenizer);
      if (lmTokenizer != null) {
        lmTokenizer.close();
      }
      manager.close();
      throw e;
    }
  }

  /** A new engine for the calling thread; close it when the thread is done. */
  public GuidedEngine newEngine() {
    return newEngine(null);
  }

  /**
   * A new engine that steers and scores by {@code steeringLabel} (null or empty: each reward
   * model's own {@code steering_label}).
   *
   * @throws IllegalArgumentException when a reward model has no such label
   */
  public GuidedEngine newEngine(String steeringLabel) {
    return newEngine(steeringLabel, StreamBatching.DEFAULT);
  }

  /**
   * A new engine steering by {@code steeringLabel} (as above) whose {@link
   * GuidedEngine#scoreStreams} groups streams into forward passes by {@code streamBatching}.
   */
  public GuidedEngine newEngine(String steeringLabel, StreamBatching streamBatching) {
    boolean own = steeringLabel == null || steeringLabel.isEmpty();
    List<GuidanceProvider> providers = new ArrayList<>();
    rewards.forEach(
        r ->
            providers.add(
                new RewardGuidanceProvider(r, own ? r.info().steeringLabel() : steeringLabel)));
    PrefixScorer scorer = null;
    if (!rewards.isEmpty()) {
      RewardModel first = rewards.get(0);
      scorer =
          new RewardPrefixScorer(
              first, tokenizer, manager, own ? first.info().steeringLabel() : steeringLabel);
    }
    return new DecodingEngine(lm, tokenizer, lmId, providers, scorer, manager, streamBatching);
  }

  public CausalLm lm() {
    return lm;
  }

  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  public List<RewardModel> rewards() {
    return rewards;
  }

  /** The language model, then each reward model in the order given; for metrics and logs. */
  public List<LoadedModel> loaded() {
    List<LoadedModel> all = new ArrayList<>();
    all.add(new LoadedModel(LoadedModel.LM, lmId));
    rewards.forEach(r -> all.add(new LoadedModel(LoadedModel.REWARD, r.id())));
    return List.copyOf(all);
  }

  @Override
  public void close() {
    for (RewardModel r : rewards) {
      if (r.tokenizer() != tokenizer) {
        closeTokenizer(r);
      }
    }
    tokenizer.close();
    manager.close();
  }

  private static void closeTokenizer(RewardModel r) {
    if (r.tokenizer() != null) {
      r.tokenizer().close();
    }
  }
}
