package io.armguard.decode;

import java.util.Arrays;
import java.util.Random;

/** One row of a {@link BatchDecoder} batch: its generator, emitted tokens and guidance stats. */
final class RowState {

  private final DecodeRequest request;
  private final Random random;
  private int[] tokens;
  private float[] rewards;
  private int length;
  private boolean stoppedAtEos;
  private int steps;
  private int changedSteps;
  private double rewardShiftSum;
  boolean done;
  int lastToken;

  RowState(DecodeRequest request) {
    this.request = request;
    this.random = new Random(request.seed());
    this.tokens = new int[Math.min(request.maxNewTokens(), 1024)];
    this.rewards = new float[tokens.length];
  }

  DecodeRequest request() {
    return request;
  }

  /**
   * Index among this row's top-k (the LM's logits at {@code offset} of {@code values}, sorted
   * descending; {@code kMax} per row) chosen with this row's next draw; {@code rewards} null when
   * unguided.
   */
  int choose(float[] values, float[] rewards, int offset, int kMax) {
    int k = Math.min(request.topK(), kMax);
    double u = random.nextDouble(); // one draw per step, guided or not: same seed, same stream
    if (rewards == null) {
      return TopKSampler.choose(values, offset, k, request.temperature(), u);
    }
    float[] guided = new float[k];
    float[] r = new float[k];
    for (int i = 0; i < k; i++) {
      r[i] = rewards[offset + i];
      float reward = request.direction() == SteeringDirection.AWAY_FROM_LABEL ? 1f - r[i] : r[i];
      guided[i] = values[offset + i] + request.beta() * reward;
    }
    int chosen = TopKSampler.choose(guided, 0, k, request.temperature(), u);
    int plain = TopKSampler.choose(values, offset, k, request.temperature(), u);
    double[] pg = TopKSampler.probabilities(guided, 0, k, request.temperature());
    double[] pu = TopKSampler.probabilities(values, offset, k, request.temperature());
    double shift = 0;
    for (int i = 0; i < k; i++) {
      shift += (pg[i] - pu[i]) * r[i];
    }
    steps++;
    changedSteps += chosen != plain ? 1 : 0;
    rewardShiftSum += shift;
    return chosen;
  }

  void append(int token, float reward, int eosId) {
    lastToken = token;
    if (token == eosId) {
      stoppedAtEos = true;
      done = true;
      return;
    }
    if (length == tokens.length) {
      tokens = Arrays.copyOf(tokens, tokens.length * 2);
      rewards = Arrays.copyOf(rewards, rewards.length * 2);
    }
    tokens[length] = token;
    rewards[length] = reward;
    length++;
    done = length >= request.maxNewTokens();
  }

  /** Whether the row is live and short of its minimum length (EOS may not be chosen yet). */
  boolean mustNotEnd() {
    return !done && length < request.minNewTokens();
  }

  SequenceOutput output() {
    GuidanceStats stats =
        steps == 0
            ? GuidanceStats.NONE
            : new GuidanceStats(steps, changedSteps, rewardShiftSum / steps);
    return new SequenceOutput(
        Arrays.copyOf(tokens, length), Arrays.copyOf(rewards, length), stoppedAtEos, stats);
  }
}
