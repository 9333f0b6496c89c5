package io.armguard.serde;

import org.apache.kafka.common.errors.RetriableException;

/**
 * The schema registry could not give a definite answer (connection refused, timeout, HTTP 5xx,
 * 401/403, 429) within the deserializer's retry budget. Not a property of the record: the caller
 * must hold the record and retry later, never dead-letter it. Deliberately not a {@link
 * org.apache.kafka.common.errors.SerializationException}.
 */
public final class RegistryUnavailableException extends RetriableException {
  private static final long serialVersionUID = 1L;

  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether {@code t} or one of its causes is a {@link RegistryUnavailableException}. */
  public static boolean isCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof RegistryUnavailableException) {
        return true;
      }
    }
    return false;
  }
}
