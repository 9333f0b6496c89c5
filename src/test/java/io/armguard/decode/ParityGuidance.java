package io.armguard.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/** Test guidance: r = 1 for odd candidate ids, 0 for even ones; counts its calls. */
final class ParityGuidance implements GuidanceProvider {

  int starts;
  int scores;
  int advances;
  int closes;
  final boolean canRetain;
  final java.util.List<Long> scoredRows = new java.util.ArrayList<>();

  ParityGuidance() {
    this(false);
  }

  ParityGuidance(boolean canRetain) {
    this.canRetain = canRetain;
  }

  @Override
  public Strategy strategy() {
    return Strategy.RAD;
  }

  @Override
  public Guidance open(List<DecodeRequest> requests, NDManager batchManager) {
    return new Guidance() {
      @Override
      public void start(int[][] rewardPrefixes, NDManager manager) {
        starts++;
      }

      @Override
      public NDArray score(NDArray candidateIds, NDManager stepManager) {
        scores++;
        scoredRows.add(candidateIds.getShape().get(0));
        NDArray r = candidateIds.mod(2L).toType(DataType.FLOAT32, true);
        r.attach(stepManager);
        return r;
      }

      @Override
      public void advance(NDArray chosenIds, NDArray chosenCandidateIndex, NDManager stepManager) {
        advances++;
      }

      @Override
      public boolean canRetainRows() {
        return canRetain;
      }

      @Override
      public void retainRows(NDArray rows, NDManager stepManager) {}

      @Override
      public void close() {
        closes++;
      }
    };
  }
}
