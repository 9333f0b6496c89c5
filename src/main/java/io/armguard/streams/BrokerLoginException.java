package io.armguard.streams;

/**
 * The cluster refused the service's credentials, or its client settings cannot be used. A setting
 * to fix, so it is reported like an invalid one: one line, exit code 1 ({@link BrokerLogin}). The
 * message never holds a secret.
 */
public final class BrokerLoginException extends IllegalArgumentException {

  BrokerLoginException(String message, Throwable cause) {
    super(message, cause);
  }
}
