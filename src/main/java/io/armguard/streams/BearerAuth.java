package io.armguard.streams;

import com.sun.net.httpserver.HttpExchange;
import io.armguard.config.ArmguardConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Bearer-token authentication of the HTTP endpoints that need it. The token comes from {@code
 * http.auth.token} (e.g. {@code ARMGUARD_HTTP_AUTH_TOKEN}) or the file {@code
 * http.auth.token.file}; it is compared in constant time and never logged. Without a token,
 * requests are let in only while the port is bound to loopback: bound beyond it, every request is
 * refused, so an unconfigured instance never serves the network. Immutable, thread-safe.
 */
final class BearerAuth {

  private final byte[] token;
  private final boolean loopbackOnly;

  private BearerAuth(byte[] token, boolean loopbackOnly) {
    this.token = token;
    this.loopbackOnly = loopbackOnly;
  }

  /** The authentication the configuration asks for. */
  static BearerAuth from(ArmguardConfig config) throws IOException {
    String token = config.string(ArmguardConfig.HTTP_AUTH_TOKEN);
    String file = config.string(ArmguardConfig.HTTP_AUTH_TOKEN_FILE);
    if (token.isEmpty() && !file.isEmpty()) {
      token = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
      if (token.isEmpty()) {
        throw new IllegalArgumentException(
            ArmguardConfig.HTTP_AUTH_TOKEN_FILE + ": " + file + " is empty");
      }
    }
    return new BearerAuth(
        token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8),
        isLoopback(config.string(ArmguardConfig.HTTP_BIND_ADDRESS)));
  }

  /** Authentication with {@code token} (null = none) for a port bound to loopback or not. */
  static BearerAuth of(String token, boolean loopbackOnly) {
    return new BearerAuth(
        token == null ? null : token.getBytes(StandardCharsets.UTF_8), loopbackOnly);
  }

  /** Whether a token is configured. */
  boolean hasToken() {
    return token != null;
  }

  /** Whether requests can be let in at all: a token is set, or the port is loopback only. */
  boolean servesAnyone() {
    return token != null || loopbackOnly;
  }

  /** Null when {@code ex} may proceed, else why not (for the 401 body). */
  String refusal(HttpExchange ex) {
    if (token == null) {
      return loopbackOnly
          ? null
          : "this endpoint needs a bearer token: the port is bound beyond loopback and no"
              + " http.auth.token is configured";
    }
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return "missing bearer token (Authorization: Bearer <token>)";
    }
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token) ? null : "invalid bearer token";
  }

  static boolean isLoopback(String address) {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          ArmguardConfig.HTTP_BIND_ADDRESS + ": unknown host " + address, e);
    }
  }
}
