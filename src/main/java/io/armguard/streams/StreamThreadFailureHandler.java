package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import io.armguard.serde.RegistryAvailability;
import io.armguard.serde.RegistryUnavailableException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the service does when a stream thread dies. A refused login ({@link BrokerLogin#refusal}:
 * credentials rotated on the broker, a certificate no longer trusted) stops the Kafka Streams
 * client, logged once as one line, since a new thread would be refused the same way; {@code
 * /health} then fails and the orchestrator restarts the instance, whose start-up check names the
 * problem. Anything else replaces the thread: its requests are still in the store and its
 * uncommitted input is read again by the new thread (a registry outage is logged as such, without a
 * stack trace). Thread-safe: called on the dying stream thread.
 */
final class StreamThreadFailureHandler implements StreamsUncaughtExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailureHandler.class);

  private final ArmguardConfig config;
  private final RegistryAvailability registry;
  private final Consumer<String> beforeReplace;
  private final AtomicBoolean refusalLogged = new AtomicBoolean();

  /**
   * @param beforeReplace called with the dying thread's name before it is replaced (static member
   *     eviction), on that thread
   */
  StreamThreadFailureHandler(
      ArmguardConfig config, RegistryAvailability registry, Consumer<String> beforeReplace) {
    this.config = config;
    this.registry = registry;
    this.beforeReplace = beforeReplace;
  }

  @Override
  public StreamThreadExceptionResponse handle(Throwable e) {
    var refused = BrokerLogin.refusal(e, config);
    if (refused.isPresent()) {
      if (refusalLogged.compareAndSet(false, true)) {
        LOG.error("{}; stopping Kafka Streams (restart with working credentials)", refused.get());
      }
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    if (RegistryUnavailableException.isCause(e)) {
      LOG.warn(
          "schema registry unreachable; records held, stream thread restarts from its last"
              + " commit: {}",
          registry.describe());
    } else {
      LOG.error("stream thread died; replacing it", e);
    }
    beforeReplace.accept(Thread.currentThread().getName());
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }
}
