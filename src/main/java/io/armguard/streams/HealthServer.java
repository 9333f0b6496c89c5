package io.armguard.streams;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /health} (liveness: 200 unless Kafka Streams has stopped for good), {@code /ready} (200
 * when every {@link Readiness} check passes; the body lists them) and {@code /metrics} (Prometheus
 * text format) on the JDK's built-in HTTP server. One daemon thread; start/stop with the service.
 */
public final class HealthServer implements AutoCloseable {

  private final HttpServer server;

  public HealthServer(
      int port, BooleanSupplier healthy, Supplier<Readiness> ready, PrometheusMeterRegistry metrics)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/health", ex -> status(ex, healthy.getAsBoolean()));
    server.createContext(
        "/ready",
        ex -> {
          Readiness r = ready.get();
          respond(ex, r.ok() ? 200 : 503, "text/plain; charset=utf-8", r.report());
        });
    server.createContext(
        "/metrics",
        ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
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
  }
}
