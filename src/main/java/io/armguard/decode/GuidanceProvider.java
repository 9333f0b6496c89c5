package io.armguard.decode;

import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Makes the {@link Guidance} of one batch for one {@link Strategy} (e.g. an ARM or RAD reward model
 * that holds the shared weights). Implementations are shared by the engine's batches of one thread.
 */
public interface GuidanceProvider {

  /** The strategy this provider implements. */
  Strategy strategy();

  /**
   * Opens the guidance for a batch of requests (all of this provider's strategy).
   *
   * @param requests the batch, in row order
   * @param batchManager lives until the batch is done; the guidance may allocate under it
   */
  Guidance open(List<DecodeRequest> requests, NDManager batchManager);
}
