package io.armguard.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * libtorch's intra-op thread count. On the shared 2-core development box 1 thread is the default:
 * two threads are faster only while nothing else runs (see docs/model.md for the figures).
 */
public final class EngineThreads {

  /** Default intra-op threads when the user does not say. */
  public static final int DEFAULT = 1;

  private EngineThreads() {}

  /** Sets the intra-op thread count (>= 1) for this JVM, before or after the engine started. */
  public static void configure(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1: " + threads);
    }
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    Engine.getInstance(); // starts libtorch (reads the property) if it was not running yet
    JniUtils.setNumThreads(threads);
  }

  /**
   * Runs {@code work} with autograd off on the calling thread, then restores the thread's mode.
   *
   * <p>Why: libtorch keeps grad mode per thread, and DJL turns it off only on the thread that
   * started the engine (usually {@code main}). Every other thread (stream threads, decode and ARM
   * workers) would otherwise record autograd graphs while decoding: ~10% slower and many more
   * allocations (BENCHMARKS.md, "Decoding off the main thread").
   */
  public static <T> T inferenceOnly(Supplier<T> work) {
    boolean was = JniUtils.isGradMode();
    if (was) {
      JniUtils.setGradMode(false);
    }
    try {
      return work.get();
    } finally {
      if (was) {
        JniUtils.setGradMode(true);
      }
    }
  }

  /**
   * Turns autograd off for good on the calling thread: for threads that only ever run inference
   * (set once when such a thread starts, rather than around every step it runs).
   */
  public static void autogradOffForThisThread() {
    JniUtils.setGradMode(false);
  }

  /** The intra-op thread count libtorch uses now. */
  public static int current() {
    Engine.getInstance();
    return JniUtils.getNumThreads();
  }
}
