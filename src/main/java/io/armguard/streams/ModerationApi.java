package io.armguard.streams;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.armguard.config.ArmguardConfig;
import io.armguard.decode.GuidedEngine;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.Mode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/moderations}: the OpenAI moderation API ({@link ModerationApiJson}) over
 * armguard's reward model, so a chatbot stack that already calls a moderation API can point at
 * armguard unchanged. Each input is scored as the reply of a MODERATE request through {@link
 * OfflineModeration} in report-only mode: the service's validator, reply-only scoring, per-category
 * thresholds and record builders, and no rewrite. An input must fit the model's context (else 400
 * naming it), as a MODERATE reply must.
 *
 * <p>Bounded: bodies over {@code moderation.api.max.body.bytes} are answered 413 (unread past the
 * limit); at most {@code moderation.api.max.concurrent} calls are admitted, more get 429 with
 * {@code Retry-After}; a call not scored within {@code moderation.api.timeout.ms} gets 503 (its
 * admission is released when the scoring it queued ends, so the bound holds for real work). Bearer
 * token: {@link BearerAuth}.
 *
 * <p>Threading: HTTP threads only parse and wait; one worker thread owns the engine (engines are
 * not thread-safe) and scores every call in turn. {@link #close()} stops the worker.
 */
public final class ModerationApi implements HttpHandler, AutoCloseable {

  public static final String PATH = "/v1/moderations";

  private static final Logger LOG = LoggerFactory.getLogger(ModerationApi.class);

  /**
   * The prompt of every scored request: MODERATE needs one, but it is context for a rewrite only
   * and never scored (the reply is judged alone), and nothing is rewritten here.
   */
  static final String CONTEXT = "(moderation API input)";

  private final ArmguardConfig config;
  private final BearerAuth auth;
  private final Supplier<GuidedEngine> engine;
  private final int maxBody;
  private final int maxInputs;
  private final long timeoutMs;
  private final Semaphore admitted;
  private final ExecutorService worker;
  private final MeterRegistry metrics;
  private OfflineModeration moderation; // worker thread only

  /**
   * @param engine gives the engine on the worker thread (called there, once per call; e.g. {@link
   *     EnginePool#forCurrentThread})
   */
  public ModerationApi(
      ArmguardConfig config,
      BearerAuth auth,
      Supplier<GuidedEngine> engine,
      MeterRegistry metrics) {
    // report-only: scored, flagged and thresholded exactly as MODERATE, never rewritten
    this.config = config.with(Map.of(ArmguardConfig.MODERATION_MODE, "report-only"));
    this.auth = auth;
    this.engine = engine;
    this.maxBody = config.intValue(ArmguardConfig.MODERATION_API_MAX_BODY_BYTES);
    this.maxInputs = config.intValue(ArmguardConfig.MODERATION_API_MAX_INPUTS);
    this.timeoutMs = config.intValue(ArmguardConfig.MODERATION_API_TIMEOUT_MS);
    this.admitted = new Semaphore(config.intValue(ArmguardConfig.MODERATION_API_MAX_CONCURRENT));
    this.metrics = metrics;
    this.worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "armguard-moderation-api");
              t.setDaemon(true);
              return t;
            });
    if (!auth.servesAnyone()) {
      LOG.warn(
          "{} refuses every request: {} is beyond loopback and no {} is set",
          PATH,
          ArmguardConfig.HTTP_BIND_ADDRESS,
          ArmguardConfig.HTTP_AUTH_TOKEN);
    }
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      int status = serve(ex);
      Counter.builder("armguard_moderation_api_requests")
          .description("POST /v1/moderations calls by HTTP status")
          .tag("status", Integer.toString(status))
          .register(metrics)
          .increment();
    }
  }

  private int serve(HttpExchange ex) throws IOException {
    if (!"POST".equals(ex.getRequestMethod())) {
      ex.getResponseHeaders().set("Allow", "POST");
      return error(ex, 405, "invalid_request_error", "use POST", null);
    }
    String refusal = auth.refusal(ex);
    if (refusal != null) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      return error(ex, 401, "authentication_error", refusal, null);
    }
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null && parseLong(length) > maxBody) {
      return error(ex, 413, "invalid_request_error", tooLarge(), null);
    }
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readNBytes(maxBody + 1);
    }
    if (body.length > maxBody) {
      return error(ex, 413, "invalid_request_error", tooLarge(), null);
    }
    List<String> inputs;
    try {
      inputs = ModerationApiJson.inputs(new String(body, StandardCharsets.UTF_8), maxInputs);
    } catch (ModerationApiJson.BadRequest e) {
      return error(ex, 400, "invalid_request_error", e.getMessage(), e.param);
    }
    if (!admitted.tryAcquire()) {
      ex.getResponseHeaders().set("Retry-After", "1");
      return error(ex, 429, "rate_limit_error", "too many concurrent moderation calls", null);
    }
    String id = "modr-" + UUID.randomUUID();
    Future<List<OutcomeRecords.Outcome>> scored;
    try {
      scored = worker.submit(() -> score(id, inputs));
    } catch (RuntimeException e) {
      admitted.release();
      return error(ex, 503, "server_error", "the moderation worker is stopped", null);
    }
    List<OutcomeRecords.Outcome> outcomes;
    try {
      outcomes = scored.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return error(ex, 503, "server_error", "not scored within " + timeoutMs + " ms", null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error(ex, 503, "server_error", "interrupted", null);
    } catch (ExecutionException e) {
      LOG.warn("{} call {} failed: {}", PATH, id, String.valueOf(e.getCause()));
      return error(ex, 500, "server_error", "scoring failed", null);
    }
    for (int i = 0; i < outcomes.size(); i++) {
      String problem = outcomes.get(i).completion().getError();
      if (problem != null) {
        String param = inputs.size() == 1 ? "input" : "input[" + i + "]";
        return error(ex, 400, "invalid_request_error", param + ": " + problem, param);
      }
    }
    return respond(ex, 200, ModerationApiJson.response(id, outcomes));
  }

  /** On the worker thread; releases the admission whatever happens. */
  private List<OutcomeRecords.Outcome> score(String id, List<String> inputs) {
    try {
      if (moderation == null) {
        moderation = new OfflineModeration(config, engine.get(), System::currentTimeMillis);
      }
      Instant now = Instant.now();
      List<GenerationRequest> requests = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        requests.add(
            GenerationRequest.newBuilder()
                .setRequestId(id + "-" + i)
                .setMode(Mode.MODERATE)
                .setPrompt(CONTEXT)
                .setResponse(inputs.get(i))
                .setMaxNewTokens(1)
                .setCreatedAt(now)
                .setAttributes(Map.of("source", PATH))
                .build());
      }
      return moderation.answer(requests, PATH);
    } finally {
      admitted.release();
    }
  }

  private String tooLarge() {
    return "request body over "
        + maxBody
        + " bytes ("
        + ArmguardConfig.MODERATION_API_MAX_BODY_BYTES
        + ")";
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int error(HttpExchange ex, int status, String type, String message, String param)
      throws IOException {
    return respond(ex, status, ModerationApiJson.error(type, message, param));
  }

  private static int respond(HttpExchange ex, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
    return status;
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
