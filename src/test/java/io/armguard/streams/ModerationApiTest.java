package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.armguard.config.ArmguardConfig;
import io.armguard.decode.PrefixScores;
import io.armguard.decode.TextScoreRequest;
import io.armguard.moderate.WordListEngine;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/moderations} over real HTTP (the JDK client), in the request shape the OpenAI
 * Python client sends ({@code client.moderations.create(model=..., input=[...])}): answers in the
 * documented shape, scored by the same reply-only path as MODERATE, and refuses what it must.
 */
class ModerationApiTest {

  private static final String TOKEN = "sk-armguard-test-token";

  private final HttpClient client = HttpClient.newHttpClient();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private HealthServer server;
  private ModerationApi api;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (api != null) {
      api.close();
    }
  }

  private URI start(WordListEngine engine, BearerAuth auth, Map<String, String> settings)
      throws Exception {
    Map<String, String> props = new HashMap<>(settings);
    ArmguardConfig config = ArmguardConfig.from(props, Map.of());
    api = new ModerationApi(config, auth, () -> engine, registry);
    server =
        new HealthServer(
            new InetSocketAddress("127.0.0.1", 0), () -> true, () -> true, registry, auth, api);
    return URI.create("http://127.0.0.1:" + server.port());
  }

  /** What openai-python sends for {@code moderations.create}. */
  private HttpRequest.Builder openAiStyle(URI base, String body, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(ModerationApi.PATH))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("User-Agent", "OpenAI/Python 1.99.0")
            .header("X-Stainless-Lang", "python")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersInTheOpenAiShapeScoredLikeModerate() throws Exception {
    WordListEngine engine = new WordListEngine();
    URI base = start(engine, BearerAuth.of(TOKEN, false), Map.of());
    HttpResponse<String> r =
        send(
            openAiStyle(
                base,
                "{\"model\":\"omni-moderation-latest\",\"input\":[\"you stupid idiot\",\"have a"
                    + " nice day\"]}",
                TOKEN));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
    assertTrue(body.get("id").getAsString().startsWith("modr-"));
    assertEquals("wordlist-reward@test", body.get("model").getAsString());
    JsonArray results = body.getAsJsonArray("results");
    assertEquals(2, results.size());
    JsonObject toxic = results.get(0).getAsJsonObject();
    JsonObject clean = results.get(1).getAsJsonObject();
    assertTrue(toxic.get("flagged").getAsBoolean());
    assertTrue(toxic.getAsJsonObject("categories").get("insult").getAsBoolean());
    assertEquals(
        List.of("insult", "toxicity"),
        toxic.getAsJsonObject("category_scores").keySet().stream().sorted().toList());
    assertEquals("toxicity", toxic.getAsJsonObject("armguard").get("steering_label").getAsString());
    assertTrue(toxic.getAsJsonObject("armguard").get("first_flagged_char").getAsInt() >= 0);
    assertFalse(clean.get("flagged").getAsBoolean());
    assertTrue(clean.getAsJsonObject("category_scores").get("toxicity").getAsFloat() < 0.5f);
    // scored, never rewritten: no generate call, and the reply alone was scored
    assertEquals(0, engine.generateCalls.get());
    assertTrue(engine.scoreCalls.get() > 0);

    HttpResponse<String> single = send(openAiStyle(base, "{\"input\":\"what an idiot\"}", TOKEN));
    assertEquals(200, single.statusCode(), single.body());
    assertEquals(
        1,
        JsonParser.parseString(single.body()).getAsJsonObject().getAsJsonArray("results").size());
    HttpResponse<String> parts =
        send(openAiStyle(base, "{\"input\":[{\"type\":\"text\",\"text\":\"hello\"}]}", TOKEN));
    assertEquals(200, parts.statusCode(), parts.body());
    assertTrue(
        registry.scrape().contains("armguard_moderation_api_requests_total{status=\"200\"}"));
  }

  @Test
  void refusesMissingAndWrongTokensAndProtectsMetrics() throws Exception {
    URI base = start(new WordListEngine(), BearerAuth.of(TOKEN, false), Map.of());
    HttpResponse<String> none = send(openAiStyle(base, "{\"input\":\"hi\"}", null));
    assertEquals(401, none.statusCode());
    assertEquals(
        "authentication_error",
        JsonParser.parseString(none.body())
            .getAsJsonObject()
            .getAsJsonObject("error")
            .get("type")
            .getAsString());
    assertEquals(401, send(openAiStyle(base, "{\"input\":\"hi\"}", TOKEN + "x")).statusCode());
    HttpRequest.Builder metrics = HttpRequest.newBuilder(base.resolve("/metrics"));
    assertEquals(401, send(metrics).statusCode());
    assertEquals(200, send(metrics.copy().header("Authorization", "Bearer " + TOKEN)).statusCode());
    assertEquals(200, send(HttpRequest.newBuilder(base.resolve("/health"))).statusCode());
  }

  @Test
  void withoutATokenOnlyALoopbackPortServes() throws Exception {
    URI base = start(new WordListEngine(), BearerAuth.of(null, false), Map.of());
    HttpResponse<String> r = send(openAiStyle(base, "{\"input\":\"hi\"}", null));
    assertEquals(401, r.statusCode());
    assertTrue(r.body().contains("http.auth.token"), r.body());
    stop();
    URI loopback = start(new WordListEngine(), BearerAuth.of(null, true), Map.of());
    assertEquals(200, send(openAiStyle(loopback, "{\"input\":\"hi\"}", null)).statusCode());
    assertTrue(BearerAuth.isLoopback("127.0.0.1"));
    assertFalse(BearerAuth.isLoopback("0.0.0.0"));
  }

  @Test
  void refusesOversizeBadAndNonPostRequests() throws Exception {
    URI base =
        start(
            new WordListEngine(),
            BearerAuth.of(TOKEN, false),
            Map.of("moderation.api.max.body.bytes", "1024", "moderation.api.max.inputs", "2"));
    String big = "{\"input\":\"" + "a".repeat(2000) + "\"}";
    HttpResponse<String> tooBig = send(openAiStyle(base, big, TOKEN));
    assertEquals(413, tooBig.statusCode());
    assertTrue(tooBig.body().contains("moderation.api.max.body.bytes"), tooBig.body());
    assertEquals(400, send(openAiStyle(base, "not json", TOKEN)).statusCode());
    assertEquals(400, send(openAiStyle(base, "{\"text\":\"hi\"}", TOKEN)).statusCode());
    assertEquals(
        400, send(openAiStyle(base, "{\"input\":[\"a\",\"b\",\"c\"]}", TOKEN)).statusCode());
    HttpResponse<String> image =
        send(openAiStyle(base, "{\"input\":[{\"type\":\"image_url\",\"image_url\":{}}]}", TOKEN));
    assertEquals(400, image.statusCode());
    assertTrue(image.body().contains("only text inputs"), image.body());
    HttpRequest.Builder get =
        HttpRequest.newBuilder(base.resolve(ModerationApi.PATH))
            .header("Authorization", "Bearer " + TOKEN);
    assertEquals(405, send(get).statusCode());
  }

  /** An engine whose scoring waits until released. */
  static final class HeldEngine extends WordListEngine {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public List<PrefixScores> scorePrefixes(List<TextScoreRequest> batch) {
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return super.scorePrefixes(batch);
    }
  }

  @Test
  void aSaturatedEndpointAnswers429AndASlowCall503() throws Exception {
    HeldEngine engine = new HeldEngine();
    URI base =
        start(
            engine,
            BearerAuth.of(TOKEN, false),
            Map.of("moderation.api.max.concurrent", "1", "moderation.api.timeout.ms", "200"));
    CompletableFuture<HttpResponse<String>> first =
        client.sendAsync(
            openAiStyle(base, "{\"input\":\"hi\"}", TOKEN).build(),
            HttpResponse.BodyHandlers.ofString());
    assertTrue(engine.entered.await(10, TimeUnit.SECONDS));
    HttpResponse<String> second = send(openAiStyle(base, "{\"input\":\"hi\"}", TOKEN));
    assertEquals(429, second.statusCode());
    assertEquals("1", second.headers().firstValue("Retry-After").orElse(""));
    assertEquals(503, first.get(10, TimeUnit.SECONDS).statusCode());
    engine.release.countDown();
  }
}
