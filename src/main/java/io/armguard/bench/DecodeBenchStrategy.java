package io.armguard.bench;

import ai.djl.ndarray.NDManager;
import io.armguard.decode.GuidanceProvider;
import io.armguard.decode.Strategy;
import io.armguard.model.CausalLm;

/**
 * A decoding strategy {@code bench decode} can measure: unguided here; guided ones (ARM, RAD) are
 * added next to their reward models and registered in the bench command.
 */
public interface DecodeBenchStrategy {

  /** Name in the {@code strategy} field of the JSON lines, e.g. {@code unguided}. */
  String name();

  /** The request strategy this one decodes with. */
  Strategy strategy();

  /**
   * The guidance for the measured LM, or null for unguided decoding.
   *
   * @param manager lives for the whole benchmark, on the LM's device
   */
  GuidanceProvider provider(CausalLm lm, NDManager manager) throws Exception;

  /** Plain top-k sampling. */
  DecodeBenchStrategy UNGUIDED =
      new DecodeBenchStrategy() {
        @Override
        public String name() {
          return "unguided";
        }

        @Override
        public Strategy strategy() {
          return Strategy.UNGUIDED;
        }

        @Override
        public GuidanceProvider provider(CausalLm lm, NDManager manager) {
          return null;
        }
      };
}
