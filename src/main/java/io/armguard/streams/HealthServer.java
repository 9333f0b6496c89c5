package io.armguard.streams;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * {@code /health} (200 unless the service is in ERROR), {@code /ready} (200 when Kafka Streams is
 * RUNNING and the models are loaded), {@code /metrics} (Prometheus text format, optionally behind
 * the bearer token) and, when given, {@code POST /v1/moderations} ({@link ModerationApi}) on the
 * JDK's built-in HTTP server. A dispatcher and a small pool of daemon handler threads; start/stop
 * with the service.
 */
public final class HealthServer implements AutoCloseable {

  static {
    // A client that sends its request slower than this is cut off (the JDK server's default is
    // to wait forever); seconds, JVM-wide, so only set when nobody chose otherwise.
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", "30");
    }
  }

  private final HttpServer server;
  private final ExecutorService handlers;

  public HealthServer(
      int port, BooleanSupplier healthy, BooleanSupplier ready, PrometheusMeterRegistry metrics)
      throws IOException {
    this(new InetSocketAddress(port), healthy, ready, metrics, null, null);
  }

  /**
   * @param address where to bind
   * @param metricsAuth when not null, {@code /metrics} needs its bearer token
   * @param moderations when not null, served on {@value ModerationApi#PATH}
   */
  public HealthServer(
      InetSocketAddress address,
      BooleanSupplier healthy,
      BooleanSupplier ready,
      PrometheusMeterRegistry metrics,
      BearerAuth metricsAuth,
      ModerationApi moderations)
      throws IOException {
    server = HttpServer.create(address, 0);
    server.createContext("/health", ex -> status(ex, healthy.getAsBoolean()));
    server.createContext("/ready", ex -> status(ex, ready.getAsBoolean()));
    server.createContext(
        "/metrics",
        ex -> {
          String refusal = metricsAuth == null ? null : metricsAuth.refusal(ex);
          if (refusal != null) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            respond(ex, 401, "text/plain; charset=utf-8", refusal + "\n");
          } else {
            respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
          }
        });
    if (moderations != null) {
      server.createContext(ModerationApi.PATH, moderations);
    }
    // Handlers off the dispatcher thread, so a moderation call waiting for the model never holds
    // up /health and /ready; calls beyond the API's admission limit are answered 429 at once.
    handlers =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread t = new Thread(r, "armguard-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(handlers);
    server.start();
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void status(HttpExchange ex, boolean ok) throws IOException {
    respond(ex, ok ? 200 : 503, "text/plain; charset=utf-8", ok ? "OK\n" : "NOT OK\n");
  }

  private static void respond(HttpExchange ex, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
  }
}
