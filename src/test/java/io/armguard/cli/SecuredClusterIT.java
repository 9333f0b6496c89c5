package io.armguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.config.ArmguardConfig;
import io.armguard.config.ClientProperties;
import io.armguard.schema.Action;
import io.armguard.schema.Completion;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.Mode;
import io.armguard.streams.ServiceSchemas;
import io.armguard.streams.TopologySerdes;
import io.armguard.testing.ApicurioRegistry;
import io.armguard.testing.ArmguardProcess;
import io.armguard.testing.BrokerProcess;
import io.armguard.testing.BrokerSecurity;
import io.armguard.testing.ChildJvm;
import io.armguard.testing.TestCertificates;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * armguard's production sample against a secured cluster, for real. A KRaft broker process whose
 * only client listener is SASL_SSL: TLS with a certificate authority the test makes ({@link
 * TestCertificates}; host-name verification on, the certificate names 127.0.0.1), SCRAM-SHA-512
 * users created when its log directory is formatted; the broker's own inter-broker traffic
 * (transaction markers) goes over the same listener. {@code topologies/production.properties} is
 * used as shipped: its secrets come from the environment the way the file documents ({@code
 * ${env:KAFKA_PASSWORD}}, {@code ${env:TRUSTSTORE_PASSWORD}}, {@code ${env:REGISTRY_USER_INFO}}),
 * and what differs on this machine (addresses, trust store paths, one broker, a CPU, small random
 * models) is given as {@code ARMGUARD_*} variables, as an operator would.
 *
 * <p>The schema registry is Apicurio on <b>plaintext loopback HTTP</b>, without authentication: the
 * sample's registry trust store and basic-auth settings are loaded and sent (and must not be
 * logged), but not checked by this registry. The sample pre-registers schemas ({@code
 * auto.register.schemas=false}, {@code use.latest.version=true}), so {@code armguard schemas
 * register} runs first, with the same file and environment.
 *
 * <p>Shown: the service connects and answers a GENERATE and a MODERATE request end to end; with a
 * wrong password it exits within seconds with one line naming the authentication failure instead of
 * retrying; no secret value appears in any line the processes print (their whole stdout and stderr,
 * which is where the shipped logging configuration writes).
 */
class SecuredClusterIT {

  private static final Path SAMPLE = Path.of("topologies/production.properties");

  /** The sample's SCRAM user (its JAAS line names it). */
  private static final String USER = "armguard";

  private static final String KAFKA_PASSWORD = secret("kafka");
  private static final String REGISTRY_PASSWORD = secret("registry");

  // kept when a test fails: the broker's and the processes' logs are in it
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path tmp;

  static CompletableFuture<ApicurioRegistry> registryStart;
  static volatile double registryUpSeconds;
  static ApicurioRegistry registry;
  static TestCertificates tls;
  static BrokerProcess broker;
  static RandomModelDirs.Dirs models;

  @BeforeAll
  static void start() throws Exception {
    long t0 = System.nanoTime();
    // the two servers start side by side; each start is mostly JVM start-up and waiting
    registryStart = CompletableFuture.supplyAsync(SecuredClusterIT::startRegistry);
    models = RandomModelDirs.write(tmp.resolve("models"), 11);
    tls = TestCertificates.create(tmp.resolve("tls"));
    broker =
        BrokerProcess.startSecured(
            tmp.resolve("broker"), BrokerSecurity.saslSsl(tls, Map.of(USER, KAFKA_PASSWORD)));
    double brokerSeconds = seconds(t0);
    registry = joinRegistry();
    ArmguardConfig sample = sample(KAFKA_PASSWORD);
    broker.createTopics(
        2,
        List.of(
            sample.requestsTopic(),
            sample.completionsTopic(),
            sample.auditTopic(),
            sample.dlqTopic()));
    System.out.printf(
        "SecuredClusterIT: SASL_SSL broker (test CA, format, start) up after %.1f s, Apicurio"
            + " after %.1f s%n",
        brokerSeconds, registryUpSeconds);
  }

  @AfterAll
  static void stop() throws Exception {
    if (broker != null) {
      broker.close();
    }
    if (registry == null && registryStart != null) {
      registry = registryStart.exceptionally(e -> null).join();
    }
    if (registry != null) {
      registry.close();
    }
  }

  private static ApicurioRegistry startRegistry() {
    long t0 = System.nanoTime();
    try {
      ApicurioRegistry started = ApicurioRegistry.startOrSkip();
      registryUpSeconds = seconds(t0);
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The started registry, or what stopped it (a skip included) as thrown on this thread. */
  private static ApicurioRegistry joinRegistry() {
    try {
      return registryStart.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private static String secret(String what) {
    return what + "-" + Long.toHexString(new SecureRandom().nextLong() | 1L << 62);
  }

  /**
   * What an operator of this cluster sets: the sample's three secrets, and {@code ARMGUARD_*}
   * overrides of the sample's hosts, paths and sizes.
   */
  private static Map<String, String> environment(String kafkaPassword) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KAFKA_PASSWORD", kafkaPassword);
    env.put("TRUSTSTORE_PASSWORD", tls.password());
    env.put("REGISTRY_USER_INFO", USER + ":" + REGISTRY_PASSWORD);
    env.put("ARMGUARD_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    env.put("ARMGUARD_SCHEMA_REGISTRY_URL", registry.url());
    env.put("ARMGUARD_KAFKA_SSL_TRUSTSTORE_LOCATION", tls.trustStore().toString());
    env.put("ARMGUARD_SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION", tls.trustStore().toString());
    env.put("ARMGUARD_KAFKA_REPLICATION_FACTOR", "1");
    env.put("ARMGUARD_NUM_STANDBY_REPLICAS", "0");
    env.put("ARMGUARD_DEVICE", "cpu");
    env.put("ARMGUARD_MODEL_LM_DIR", models.lm().toString());
    env.put("ARMGUARD_MODEL_REWARD_DIR", models.reward().toString());
    env.put("ARMGUARD_MODEL_RAD_DIR", "");
    env.put("ARMGUARD_DECODE_MAX_NEW_TOKENS", "8");
    return env;
  }

  /** The sample as the service reads it, with {@link #environment} as its environment. */
  private static ArmguardConfig sample(String kafkaPassword) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(SAMPLE, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    Map<String, String> props = new HashMap<>();
    p.stringPropertyNames().forEach(n -> props.put(n, p.getProperty(n)));
    return ArmguardConfig.from(props, environment(kafkaPassword));
  }

  /** Every secret value of a run with {@code kafkaPassword}, as it could leak into a log line. */
  private static List<String> secrets(String kafkaPassword) throws IOException {
    String jaas = sample(kafkaPassword).kafkaOverrides().get("sasl.jaas.config");
    assertTrue(jaas.contains("password=\"" + kafkaPassword + "\""), "resolved from the env");
    return List.of(kafkaPassword, REGISTRY_PASSWORD, tls.password(), jaas);
  }

  private static void assertNoSecretIn(Path log, String kafkaPassword) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    for (String secret : secrets(kafkaPassword)) {
      for (String line : lines) {
        assertFalse(line.contains(secret), log + " holds a secret in: " + line);
      }
    }
  }

  @Test
  void theProductionSampleConnectsWithSecretsFromTheEnvironmentAndAnswers() throws Exception {
    Map<String, String> env = environment(KAFKA_PASSWORD);
    ArmguardConfig sample = sample(KAFKA_PASSWORD);
    Path registerLog = tmp.resolve("schemas-register.log");
    long t0 = System.nanoTime();
    try (ChildJvm register =
            ChildJvm.start(
                "io.armguard.cli.Main",
                List.of("-Xmx256m"),
                List.of("schemas", "register", "--config", SAMPLE.toString()),
                env,
                registerLog,
                Path.of("").toAbsolutePath());
        ArmguardProcess service =
            ArmguardProcess.withConfigFile(tmp.resolve("service"), "secured-1", SAMPLE, env)) {
      // started side by side to save time: what matters is that the schemas are registered
      // before the first request, which the service neither registers nor needs before then
      service.start();
      assertEquals(0, register.awaitExit(90), Files.readString(registerLog));
      double registerSeconds = seconds(t0);
      String registered = Files.readString(registerLog);
      for (ServiceSchemas.Subject s : ServiceSchemas.of(sample)) {
        assertTrue(registered.contains(s.subject() + " registered id "), registered);
      }
      service.awaitReady(Duration.ofSeconds(120));
      double readySeconds = seconds(t0);

      long t1 = System.nanoTime();
      TopologySerdes serdes = TopologySerdes.fromConfig(sample);
      produce(sample, serdes, request("secured-gen", Mode.GENERATE, null));
      produce(sample, serdes, request("secured-mod", Mode.MODERATE, "It's fine, thanks."));
      Map<String, Completion> answers =
          completions(sample, serdes, Set.of("secured-gen", "secured-mod"), Duration.ofSeconds(60));
      double answerSeconds = seconds(t1);
      assertEquals(Set.of("secured-gen", "secured-mod"), answers.keySet());
      assertEquals(Action.GENERATED, answers.get("secured-gen").getAction());
      assertTrue(
          Set.of(Action.ALLOWED, Action.REWRITTEN, Action.REDACTED, Action.BLOCKED)
              .contains(answers.get("secured-mod").getAction()),
          answers.get("secured-mod").toString());
      service.stop();

      String log = Files.readString(service.log());
      assertTrue(
          log.contains("kafka.sasl.jaas.config=[hidden]"),
          "the start-up configuration line was captured, redacted:\n" + log);
      assertNoSecretIn(service.log(), KAFKA_PASSWORD);
      assertNoSecretIn(registerLog, KAFKA_PASSWORD);
      System.out.printf(
          "SecuredClusterIT: schemas register done after %.1f s, armguard run /ready after %.1f"
              + " s (both JVMs started at 0), two requests answered in %.1f s%n",
          registerSeconds, readySeconds, answerSeconds);
    }
  }

  @Test
  void aWrongPasswordFailsFastWithOneClearLine() throws Exception {
    String wrong = secret("wrong");
    long t0 = System.nanoTime();
    try (ArmguardProcess service =
        ArmguardProcess.withConfigFile(
            tmp.resolve("wrong-password"), "secured-wrong", SAMPLE, environment(wrong))) {
      service.start();
      int code = service.awaitExit(60);
      double exitSeconds = seconds(t0);
      String log = Files.readString(service.log());
      assertEquals(1, code, "exit code 1 within 60 s (-1: still running)\n" + log);
      List<String> lines = log.lines().toList();
      String last = lines.get(lines.size() - 1);
      assertTrue(
          last.startsWith(
                  "run: cannot log in to Kafka at " + broker.bootstrapServers() + " as user")
              && last.contains("(SASL_SSL, SCRAM-SHA-512)")
              && last.contains("invalid credentials"),
          "the last line names the failure:\n" + log);
      // the login check's admin client reports the refusal once itself (an ERROR and a WARN with
      // the exception); nothing retries, no stream thread starts
      List<String> mentions =
          lines.stream().filter(l -> l.contains("invalid credentials")).toList();
      assertTrue(mentions.size() <= 3, "not repeated:\n" + String.join("\n", mentions));
      assertFalse(log.contains("StreamThread"), "Kafka Streams never started:\n" + log);
      assertNoSecretIn(service.log(), wrong);
      System.out.printf(
          "SecuredClusterIT: wrong password -> exit %d after %.1f s (JVM start included)%n",
          code, exitSeconds);
    }
  }

  private static GenerationRequest request(String id, Mode mode, String response) {
    return GenerationRequest.newBuilder()
        .setRequestId(id)
        .setMode(mode)
        .setPrompt("How was your day?")
        .setResponse(response)
        .setSeed(7L)
        .setCreatedAt(Instant.now())
        .build();
  }

  /** Writes one request with the sample's own client settings (SASL_SSL, pre-registered schema). */
  private static void produce(ArmguardConfig sample, TopologySerdes serdes, GenerationRequest r)
      throws Exception {
    Map<String, Object> props = ClientProperties.producer(sample);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, GenerationRequest> producer =
        new KafkaProducer<>(props, new StringSerializer(), serdes.request().serializer())) {
      producer.send(new ProducerRecord<>(sample.requestsTopic(), r.getRequestId(), r)).get();
    }
  }

  /** The committed completions of {@code ids}, read with the sample's client settings. */
  private static Map<String, Completion> completions(
      ArmguardConfig sample, TopologySerdes serdes, Set<String> ids, Duration timeout) {
    Map<String, Object> props = ClientProperties.consumer(sample);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, Completion> got = new HashMap<>();
    try (KafkaConsumer<String, Completion> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), serdes.completion().deserializer())) {
      List<TopicPartition> parts =
          consumer.partitionsFor(sample.completionsTopic()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .collect(Collectors.toList());
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!got.keySet().containsAll(ids) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> got.put(r.key(), r.value()));
      }
    }
    return got;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
