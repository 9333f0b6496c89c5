package io.armguard.decode;

/** Context checks a reward model's guidance makes before decoding. */
final class GuidanceLimits {

  private GuidanceLimits() {}

  /**
   * Fails when the reward model cannot see the whole sequence: the prompt plus every token up to
   * the last candidate must fit its context (a position beyond it has no embedding).
   */
  static void check(DecodeRequest request, int promptTokens, int maxTokens, String rewardId) {
    if (promptTokens + request.maxNewTokens() > maxTokens) {
      throw new IllegalArgumentException(
          "request "
              + request.id()
              + ": prompt of "
              + promptTokens
              + " tokens + max_new_tokens "
              + request.maxNewTokens()
              + " exceeds the reward model "
              + rewardId
              + "'s context of "
              + maxTokens);
    }
  }
}
