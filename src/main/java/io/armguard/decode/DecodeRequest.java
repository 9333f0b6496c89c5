package io.armguard.decode;

/**
 * One sequence to decode, as plain Java values (no tensors, no Kafka).
 *
 * <p>Build it with the nine-argument constructor (the LM's prompt is also the reward model's
 * context, no minimum length) and refine it with the {@code with*} methods; the canonical
 * constructor is for those methods.
 *
 * @param id caller's id, echoed in the result
 * @param prompt text the LM continues (already validated non-empty)
 * @param maxNewTokens token budget, >= 1
 * @param topK candidates kept from the LM logits at every step, >= 1
 * @param temperature sampling temperature; 0 means greedy over the (guided) logits
 * @param seed seed of this request's own random generator, so results do not depend on batch
 *     composition
 * @param strategy UNGUIDED, ARM or RAD
 * @param beta guidance strength (largest logit bonus), finite and >= 0
 * @param direction AWAY_FROM_LABEL (detox: reward 1 - r) or TOWARD_LABEL (reward r)
 * @param minNewTokens EOS cannot be chosen before this many tokens were generated (0 = no minimum;
 *     at most {@code maxNewTokens})
 * @param rewardContext the text the reward model's state starts from (after its BOS), which may
 *     differ from the LM's prompt: armguard's reward models score a reply alone, so a moderation
 *     rewrite passes the kept reply prefix here and "" for a fresh continuation; null = the prompt
 */
public record DecodeRequest(
    String id,
    String prompt,
    int maxNewTokens,
    int topK,
    float temperature,
    long seed,
    Strategy strategy,
    float beta,
    SteeringDirection direction,
    int minNewTokens,
    String rewardContext) {

  public DecodeRequest {
    if (minNewTokens < 0 || minNewTokens > Math.max(maxNewTokens, 0)) {
      throw new IllegalArgumentException(
          "request "
              + id
              + ": min_new_tokens "
              + minNewTokens
              + " outside [0, max_new_tokens "
              + maxNewTokens
              + "]");
    }
  }

  /** A request whose reward model sees the prompt too, with no minimum length. */
  public DecodeRequest(
      String id,
      String prompt,
      int maxNewTokens,
      int topK,
      float temperature,
      long seed,
      Strategy strategy,
      float beta,
      SteeringDirection direction) {
    this(id, prompt, maxNewTokens, topK, temperature, seed, strategy, beta, direction, 0, null);
  }

  /** The same request continuing another LM prompt, the reward model starting from its own text. */
  public DecodeRequest withContexts(String lmPrompt, String rewardText) {
    return new DecodeRequest(
        id,
        lmPrompt,
        maxNewTokens,
        topK,
        temperature,
        seed,
        strategy,
        beta,
        direction,
        minNewTokens,
        rewardText);
  }

  /** The same request with another seed (e.g. a retry). */
  public DecodeRequest withSeed(long newSeed) {
    return new DecodeRequest(
        id,
        prompt,
        maxNewTokens,
        topK,
        temperature,
        newSeed,
        strategy,
        beta,
        direction,
        minNewTokens,
        rewardContext);
  }

  /** The same request with EOS suppressed before {@code min} tokens (capped at the budget). */
  public DecodeRequest withMinNewTokens(int min) {
    return new DecodeRequest(
        id,
        prompt,
        maxNewTokens,
        topK,
        temperature,
        seed,
        strategy,
        beta,
        direction,
        Math.min(Math.max(min, 0), maxNewTokens),
        rewardContext);
  }

  /** The reward model's starting text: {@link #rewardContext}, or the prompt when it is null. */
  public String rewardText() {
    return rewardContext == null ? prompt : rewardContext;
  }
}
