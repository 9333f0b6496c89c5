package io.armguard.decode;

/** How the reward model steers decoding (docs/algorithm.md section 1). */
public enum Strategy {
  /** Plain top-k sampling; no reward model call. */
  UNGUIDED,
  /** Low-rank autoregressive reward model: one reward-model step scores all |V| tokens. */
  ARM,
  /** Reward-augmented decoding: the k candidates scored in one batched call of batch*k rows. */
  RAD
}
