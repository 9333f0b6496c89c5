package io.armguard.streams;

import io.armguard.decode.GuidedEngine;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link GuidedEngine} per stream thread, created on the thread's first use (an engine, like a
 * DJL Predictor, is not thread-safe; the factory shares model weights between engines). Engines of
 * threads that died (a replaced stream thread) are closed when the next engine is created; the rest
 * when the pool closes, after Kafka Streams has stopped.
 */
public final class EnginePool implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EnginePool.class);

  private final Supplier<GuidedEngine> factory;
  private final Map<Thread, GuidedEngine> engines = new ConcurrentHashMap<>();

  public EnginePool(Supplier<GuidedEngine> factory) {
    this.factory = factory;
  }

  /** The calling thread's engine. */
  public GuidedEngine forCurrentThread() {
    Thread me = Thread.currentThread();
    GuidedEngine engine = engines.get(me);
    if (engine == null) {
      closeEnginesOfDeadThreads();
      engine = factory.get();
      engines.put(me, engine);
      LOG.info("created decoding engine for thread {} ({} live)", me.getName(), engines.size());
    }
    return engine;
  }

  /** Number of engines alive. */
  public int size() {
    return engines.size();
  }

  private void closeEnginesOfDeadThreads() {
    engines
        .entrySet()
        .removeIf(
            e -> {
              if (e.getKey().isAlive()) {
                return false;
              }
              e.getValue().close();
              return true;
            });
  }

  @Override
  public void close() {
    engines.values().forEach(GuidedEngine::close);
    engines.clear();
  }
}
