package io.armguard.serde;

/**
 * What the last schema-registry calls of this JVM's clients said about the server: reachable, or
 * unreachable since when and why. Written by the deserializers, read by readiness checks.
 * Thread-safe; one shared instance ({@link #shared()}) because the registry client is shared.
 */
public final class RegistryAvailability {

  private static final RegistryAvailability SHARED = new RegistryAvailability();

  private volatile long unavailableSinceMs = -1;
  private volatile String lastError;

  /** A fresh record, for tests and for clients that report separately. */
  public RegistryAvailability() {}

  /** The JVM-wide instance the deserializers report to. */
  public static RegistryAvailability shared() {
    return SHARED;
  }

  /** A definite answer came back (a schema, or a definite "not found"). */
  public void reachable() {
    unavailableSinceMs = -1;
  }

  /** A call failed without a definite answer; keeps the first time of an outage. */
  public void unreachable(String why, long nowMs) {
    lastError = why;
    if (unavailableSinceMs < 0) {
      unavailableSinceMs = nowMs;
    }
  }

  /** True unless the last call failed without a definite answer. */
  public boolean isAvailable() {
    return unavailableSinceMs < 0;
  }

  /** "ok", or since when (epoch ms) and why the registry is unreachable. */
  public String describe() {
    long since = unavailableSinceMs;
    return since < 0
        ? "schema registry: ok"
        : "schema registry unreachable since "
            + java.time.Instant.ofEpochMilli(since)
            + ": "
            + lastError;
  }
}
