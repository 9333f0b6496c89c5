package io.armguard.decode;

import ai.djl.ndarray.NDManager;
import io.armguard.model.CausalLm;
import io.armguard.model.EngineThreads;
import io.armguard.model.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link GuidedEngine} over a {@link BatchDecoder}: tokenizes prompts, splits a mixed batch by
 * strategy (each group decoded as its own batch with its {@link GuidanceProvider}; UNGUIDED needs
 * none), and detokenizes. An empty prompt is decoded from {@code <|endoftext|>}, GPT-2's way of
 * starting a text. Prefix scoring is delegated to a {@link PrefixScorer} when one is given.
 *
 * <p>Threading as {@link GuidedEngine} states it: decoding calls one at a time, the read-only calls
 * from any thread (every field is final and the tokenizer is thread-safe). The LM, tokenizer and
 * providers' weights may be shared between instances.
 */
public final class DecodingEngine implements GuidedEngine {

  private final CausalLm lm;
  private final TextTokenizer tokenizer;
  private final String lmId;
  private final Map<Strategy, GuidanceProvider> providers;
  private final PrefixScorer scorer;
  private final NDManager manager;
  private final BatchDecoder decoder;
  private final int eosId;
  private final ArmStreamCache streams; // null: streamed replies are scored whole

  /**
   * @param lm the language model
   * @param tokenizer the LM's tokenizer
   * @param lmId the LM's id ({@code name@sha256-prefix})
   * @param providers guidance per strategy (UNGUIDED needs none)
   * @param scorer null when no reward model is loaded
   * @param parent a manager on the LM's device; the engine works in a sub-manager of it
   */
  public DecodingEngine(
      CausalLm lm,
      TextTokenizer tokenizer,
      String lmId,
      List<GuidanceProvider> providers,
      PrefixScorer scorer,
      NDManager parent) {
    this(lm, tokenizer, lmId, providers, scorer, parent, StreamBatching.DEFAULT);
  }

  /**
   * As above, with the grouping of streamed replies into forward passes ({@link #scoreStreams}).
   */
  public DecodingEngine(
      CausalLm lm,
      TextTokenizer tokenizer,
      String lmId,
      List<GuidanceProvider> providers,
      PrefixScorer scorer,
      NDManager parent,
      StreamBatching streamBatching) {
    this.lm = lm;
    this.tokenizer = tokenizer;
    this.lmId = lmId;
    this.providers = new EnumMap<>(Strategy.class);
    for (GuidanceProvider p : providers) {
      this.providers.put(p.strategy(), p);
    }
    this.scorer = scorer;
    this.manager = parent.newSubManager();
    this.eosId = tokenizer.eosId() >= 0 ? tokenizer.eosId() : lm.config().eosTokenId();
    this.decoder = new BatchDecoder(lm, manager, eosId);
    this.streams =
        scorer instanceof RewardPrefixScorer r ? r.streamCache(manager, streamBatching) : null;
  }

  @Override
  public List<DecodeResult> generate(List<DecodeRequest> batch) {
    return EngineThreads.inferenceOnly(() -> generateBatch(batch));
  }

  private List<DecodeResult> generateBatch(List<DecodeRequest> batch) {
    DecodeResult[] results = new DecodeResult[batch.size()];
    for (Strategy strategy : Strategy.values()) {
      List<Integer> rows = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        if (batch.get(i).strategy() == strategy) {
          rows.add(i);
        }
      }
      if (rows.isEmpty()) {
        continue;
      }
      GuidanceProvider provider = providerFor(strategy);
      List<DecodeRequest> group = rows.stream().map(batch::get).toList();
      int[][] prompts = group.stream().map(r -> promptIds(r.prompt())).toArray(int[][]::new);
      int[][] rewardPrefixes = new int[group.size()][];
      for (int j = 0; j < group.size(); j++) {
        rewardPrefixes[j] = rewardPrefix(group.get(j), prompts[j]);
      }
      DecodedBatch out = decoder.decode(prompts, rewardPrefixes, group, provider);
      for (int j = 0; j < rows.size(); j++) {
        results[rows.get(j)] = result(group.get(j), prompts[j].length, out.outputs().get(j));
      }
    }
    return Arrays.asList(results);
  }

  /**
   * Rows join and leave a running batch at token boundaries ({@link RollingDecoder}); to be driven
   * by the one thread that makes this engine's decoding calls, and closed before the engine.
   */
  @Override
  public ContinuousDecoding continuous(int maxRows) {
    return new RollingDecoder(this, lm, manager, eosId, maxRows);
  }

  /**
   * The guidance for a strategy: null for UNGUIDED. Thread-safe.
   *
   * @throws IllegalArgumentException when its reward model is not loaded
   */
  GuidanceProvider providerFor(Strategy strategy) {
    GuidanceProvider provider = providers.get(strategy);
    if (provider == null && strategy != Strategy.UNGUIDED) {
      throw new IllegalArgumentException("no reward model loaded for strategy " + strategy);
    }
    return provider;
  }

  /** What the reward model has seen before the first new token (the prompt unless told). */
  int[] rewardPrefix(DecodeRequest r, int[] promptIds) {
    return r.rewardContext() == null ? promptIds : tokenizer.encode(r.rewardContext());
  }

  /** A decoded row as the caller sees it: text (sentence case restored), ids, rewards, stats. */
  DecodeResult result(DecodeRequest r, int promptTokens, SequenceOutput o) {
    return new DecodeResult(
        r.id(),
        casing(r.prompt(), tokenizer.decode(o.tokenIds())),
        o.tokenIds(),
        o.tokenRewards(),
        promptTokens,
        o.stats());
  }

  /** An uncased vocabulary decodes lower case: restore sentence case in the new text only. */
  private String casing(String context, String decoded) {
    return tokenizer.lowercases() ? SentenceCase.restore(context, decoded) : decoded;
  }

  int[] promptIds(String prompt) {
    int[] ids = tokenizer.encode(prompt);
    return ids.length > 0 ? ids : new int[] {lm.config().bosTokenId()};
  }

  @Override
  public List<PrefixScores> scorePrefixes(List<TextScoreRequest> batch) {
    if (scorer == null) {
      throw new IllegalStateException("no reward model loaded: cannot score prefixes");
    }
    return EngineThreads.inferenceOnly(() -> scorer.scorePrefixes(batch));
  }

  @Override
  public List<StreamScores> scoreStreams(
      List<StreamText> batch, java.util.Collection<String> forget) {
    if (streams == null) {
      return GuidedEngine.super.scoreStreams(batch, forget);
    }
    return EngineThreads.inferenceOnly(() -> streams.score(batch, forget));
  }

  @Override
  public boolean supports(Strategy strategy) {
    return strategy == Strategy.UNGUIDED || providers.containsKey(strategy);
  }

  @Override
  public List<String> labels() {
    return scorer == null ? List.of() : scorer.labels();
  }

  @Override
  public String steeringLabel() {
    return scorer == null ? null : scorer.steeringLabel();
  }

  @Override
  public int countTokens(String text) {
    return tokenizer.encode(text).length;
  }

  @Override
  public int contextSize() {
    return lm.config().maxPositions();
  }

  @Override
  public String lmId() {
    return lmId;
  }

  @Override
  public String rewardId() {
    return scorer == null ? "none" : scorer.rewardId();
  }

  @Override
  public void close() {
    if (streams != null) {
      streams.close();
    }
    manager.close();
  }
}
