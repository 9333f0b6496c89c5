package io.armguard.bench;

import com.google.gson.Gson;
import io.armguard.schema.GenerationRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The capacity that {@code bench pipeline --open-loop --capacity-fractions} offers fractions of:
 * requests per second when the open loop's workload (the same prompts and max_new_tokens draws) is
 * decoded closed-loop and directly, {@code batch.size} at a time on a decode worker, without Kafka
 * (the {@code direct_rps} the closed-loop {@code bench pipeline} compares with). One figure for
 * every scheduler and partition count, so they are offered the same rates.
 *
 * @param rps median over the rounds
 * @param roundRps each measured round's
 * @param requests requests per round
 * @param maxNewTokens what they ask for
 */
public record DirectCapacity(double rps, double[] roundRps, int requests, TokenRange maxNewTokens) {

  /** Decodes {@code warmupRounds} unreported rounds, then {@code rounds} measured ones. */
  public static DirectCapacity measure(
      DirectModeration direct,
      TokenRange maxNewTokens,
      int requests,
      int rounds,
      int warmupRounds,
      long seed) {
    if (requests < 1 || rounds < 1) {
      throw new IllegalArgumentException("capacity needs requests and rounds >= 1");
    }
    int[] tokens = maxNewTokens.draw(requests, seed * 31 + 7);
    double[] rps = new double[rounds];
    for (int r = -warmupRounds; r < rounds; r++) {
      List<GenerationRequest> work = new ArrayList<>(requests);
      for (int i = 0; i < requests; i++) {
        work.add(OpenLoopBenchmark.request("capacity" + r + "-" + i, i, tokens[i]));
      }
      double seconds = direct.secondsOnWorker(work);
      if (r >= 0) {
        rps[r] = requests / seconds;
      }
    }
    return new DirectCapacity(Statistics.median(rps), rps, requests, maxNewTokens);
  }

  /** One JSON line ({@code "bench":"pipeline-open-loop-capacity"}). */
  public String toJsonLine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bench", "pipeline-open-loop-capacity");
    m.put("method", "direct");
    m.put("requests", requests);
    m.put("max_new_tokens", maxNewTokens.json());
    m.put("capacity_rps", Statistics.round(rps, 3));
    m.put("round_rps", Statistics.round(roundRps, 3));
    return new Gson().toJson(m);
  }
}
