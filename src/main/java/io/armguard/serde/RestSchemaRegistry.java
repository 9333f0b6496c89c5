package io.armguard.serde;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;

/**
 * A client of the Confluent Schema Registry REST API (also served by Apicurio at {@code
 * /apis/ccompat/v7}, Karapace and Redpanda): register, look up, versions, compatibility. Basic auth
 * and TLS (trust store, key store for mutual TLS) from {@link RegistryClientConfig}. No caching
 * here: wrap it in {@link CachingSchemaRegistry}.
 */
public final class RestSchemaRegistry implements SchemaRegistry {

  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  // Short: a hung registry must fail a call well inside the deserializer's retry budget.
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final String baseUrl;
  private final String authorization;
  private final HttpClient http;

  public RestSchemaRegistry(RegistryClientConfig config) {
    String url = config.url();
    this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.authorization =
        config.basicAuthUserInfo() == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(config.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT);
    if (config.trustStorePath() != null || config.keyStorePath() != null) {
      builder.sslContext(sslContext(config));
    }
    this.http = builder.build();
  }

  @Override
  public int register(String subject, Schema schema) {
    return call("POST", "/subjects/" + enc(subject) + "/versions", schemaBody(schema))
        .getAsJsonObject()
        .get("id")
        .getAsInt();
  }

  @Override
  public int lookup(String subject, Schema schema) {
    return call("POST", "/subjects/" + enc(subject), schemaBody(schema))
        .getAsJsonObject()
        .get("id")
        .getAsInt();
  }

  @Override
  public Schema schemaById(int id) {
    String text =
        call("GET", "/schemas/ids/" + id, null).getAsJsonObject().get("schema").getAsString();
    return new Schema.Parser().parse(text);
  }

  @Override
  public List<Integer> versions(String subject) {
    JsonArray array = call("GET", "/subjects/" + enc(subject) + "/versions", null).getAsJsonArray();
    List<Integer> versions = new ArrayList<>();
    array.forEach(v -> versions.add(v.getAsInt()));
    return versions;
  }

  @Override
  public RegisteredSchema latest(String subject) {
    JsonObject o =
        call("GET", "/subjects/" + enc(subject) + "/versions/latest", null).getAsJsonObject();
    return new RegisteredSchema(
        subject,
        o.get("version").getAsInt(),
        o.get("id").getAsInt(),
        new Schema.Parser().parse(o.get("schema").getAsString()));
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    try {
      return call(
              "POST",
              "/compatibility/subjects/" + enc(subject) + "/versions/latest",
              schemaBody(schema))
          .getAsJsonObject()
          .get("is_compatible")
          .getAsBoolean();
    } catch (SchemaRegistryException e) {
      if (e.status() == 404) {
        return true; // no version yet: anything may be registered
      }
      throw e;
    }
  }

  @Override
  public String compatibility(String subject) {
    JsonObject o =
        call("GET", subject == null ? "/config" : "/config/" + enc(subject), null)
            .getAsJsonObject();
    JsonElement level =
        o.has("compatibilityLevel") ? o.get("compatibilityLevel") : o.get("compatibility");
    return level.getAsString();
  }

  @Override
  public void setCompatibility(String subject, String level) {
    JsonObject body = new JsonObject();
    body.addProperty("compatibility", level);
    call("PUT", subject == null ? "/config" : "/config/" + enc(subject), body.toString());
  }

  private static String schemaBody(Schema schema) {
    JsonObject body = new JsonObject();
    body.addProperty("schema", schema.toString());
    return body.toString();
  }

  private static String enc(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8);
  }

  private JsonElement call(String method, String path, String body) {
    String url = baseUrl + path;
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(TIMEOUT)
            .header("Accept", CONTENT_TYPE + ", application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", CONTENT_TYPE);
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new SchemaRegistryException(
          "schema registry unreachable: " + method + " " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted: " + method + " " + url, e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new SchemaRegistryException(
          "schema registry answered HTTP "
              + response.statusCode()
              + " to "
              + method
              + " "
              + url
              + ": "
              + response.body(),
          response.statusCode());
    }
    return JsonParser.parseString(response.body());
  }

  private static SSLContext sslContext(RegistryClientConfig config) {
    try {
      TrustManagerFactory tmf = null;
      if (config.trustStorePath() != null) {
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keyStore(config.trustStorePath(), config.trustStorePassword()));
      }
      KeyManagerFactory kmf = null;
      if (config.keyStorePath() != null) {
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        char[] password =
            config.keyStorePassword() == null ? null : config.keyStorePassword().toCharArray();
        kmf.init(keyStore(config.keyStorePath(), config.keyStorePassword()), password);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          kmf == null ? null : kmf.getKeyManagers(),
          tmf == null ? null : tmf.getTrustManagers(),
          null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new SchemaRegistryException("cannot set up TLS for the schema registry: " + e, e);
    }
  }

  private static KeyStore keyStore(String path, String password)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      store.load(in, password == null ? null : password.toCharArray());
    }
    return store;
  }
}
