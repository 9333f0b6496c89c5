package io.armguard.serde;

/** A schema registry call failed; the message names the URL or subject and the server's answer. */
public class SchemaRegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** HTTP status, or -1 when there was no HTTP answer. */
  private final int status;

  public SchemaRegistryException(String message, int status) {
    super(message);
    this.status = status;
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
    this.status = -1;
  }

  /** HTTP status of the failed call, or -1. */
  public int status() {
    return status;
  }

  /**
   * Whether the registry gave a definite answer about the thing asked for (HTTP 404: no such id or
   * subject). Anything else (no answer, timeout, 5xx, 401/403, 429) says nothing about the record
   * and must be retried, not dead-lettered.
   */
  public boolean isNotFound() {
    return status == 404;
  }
}
