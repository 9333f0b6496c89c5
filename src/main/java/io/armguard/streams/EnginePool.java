package io.armguard.streams;

import io.armguard.decode.GuidedEngine;
import io.armguard.decode.LoadedModel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link DecodeLane} (an engine and its decode worker) per stream thread, created on the
 * thread's first use, and at most one instance-wide {@link DecodeScheduler} with engines of its
 * own, one per decode device (an engine, like a DJL Predictor, is not thread-safe; a factory shares
 * model weights between the engines of its device). Lanes of threads that died (a replaced stream
 * thread) are closed when the next lane is created; the rest when the pool closes, after Kafka
 * Streams has stopped. The pool also names the models behind its engines ({@link #models()}), which
 * the service publishes as {@code armguard_model_info}.
 */
public final class EnginePool implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EnginePool.class);

  private final Supplier<GuidedEngine> factory;
  private final List<Supplier<GuidedEngine>> deviceFactories;
  private final List<LoadedModel> models;
  private final Map<Thread, DecodeLane> lanes = new ConcurrentHashMap<>();
  private DecodeScheduler scheduler;

  /** A pool over engines whose models are not named (test doubles). */
  public EnginePool(Supplier<GuidedEngine> factory) {
    this(factory, List.of());
  }

  /**
   * @param factory makes one engine per stream thread, sharing the models' weights
   * @param models the models those engines run with (e.g. {@code DecodingModels.loaded()})
   */
  public EnginePool(Supplier<GuidedEngine> factory, List<LoadedModel> models) {
    this(factory, List.of(factory), models);
  }

  private EnginePool(
      Supplier<GuidedEngine> factory,
      List<Supplier<GuidedEngine>> deviceFactories,
      List<LoadedModel> models) {
    if (deviceFactories.isEmpty()) {
      throw new IllegalArgumentException("a scheduler needs at least one device");
    }
    this.factory = factory;
    this.deviceFactories = List.copyOf(deviceFactories);
    this.models = List.copyOf(models);
  }

  /**
   * A pool whose stream threads' engines come from {@code factory} and whose scheduler decodes on
   * one engine from each of {@code deviceFactories} ({@code decode.devices}: one per device, each
   * over its device's copy of the weights).
   */
  public static EnginePool perDevice(
      Supplier<GuidedEngine> factory,
      List<Supplier<GuidedEngine>> deviceFactories,
      List<LoadedModel> models) {
    return new EnginePool(factory, deviceFactories, models);
  }

  /** The models behind this pool's engines; empty when not named. */
  public List<LoadedModel> models() {
    return models;
  }

  /** The calling thread's engine (read-only uses such as counting tokens are thread-safe). */
  public GuidedEngine forCurrentThread() {
    return laneForCurrentThread().engine();
  }

  /** The calling thread's lane. */
  public DecodeLane laneForCurrentThread() {
    Thread me = Thread.currentThread();
    DecodeLane lane = lanes.get(me);
    if (lane == null) {
      closeLanesOfDeadThreads();
      lane = new DecodeLane(factory.get(), "armguard-decode-" + me.getName());
      lanes.put(me, lane);
      LOG.info("created decoding engine for thread {} ({} live)", me.getName(), lanes.size());
    }
    return lane;
  }

  /**
   * The pool's one decode scheduler, started on the first call with engines of its own, one per
   * decode device in {@code decode.devices} order ({@code start} makes it from them); later calls
   * return the same scheduler, whatever they pass. Thread-safe. It is closed with the pool.
   */
  public synchronized DecodeScheduler scheduler(
      Function<List<GuidedEngine>, DecodeScheduler> start) {
    if (scheduler == null) {
      scheduler = start.apply(deviceFactories.stream().map(Supplier::get).toList());
    }
    return scheduler;
  }

  /** Number of engines alive. */
  public int size() {
    return lanes.size();
  }

  private void closeLanesOfDeadThreads() {
    lanes
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
    lanes.values().forEach(DecodeLane::close);
    lanes.clear();
    DecodeScheduler s;
    synchronized (this) {
      s = scheduler;
      scheduler = null;
    }
    if (s != null) {
      s.close();
    }
  }
}
