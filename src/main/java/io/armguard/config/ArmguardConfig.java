package io.armguard.config;

import static io.armguard.config.ConfigKey.boolKey;
import static io.armguard.config.ConfigKey.choiceKey;
import static io.armguard.config.ConfigKey.floatKey;
import static io.armguard.config.ConfigKey.intKey;
import static io.armguard.config.ConfigKey.stringKey;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * armguard's whole configuration: every key is a constant below with its default and doc. Values
 * come from the defaults, then a properties file, then {@code ARMGUARD_*} environment variables
 * (e.g. {@code ARMGUARD_BATCH_SIZE=16}), and are validated once, at construction, including the
 * cross-field checks; an invalid value fails fast with a {@link ConfigException} naming the key and
 * the allowed values. Keys prefixed {@value #KAFKA_PREFIX} are passed (without the prefix) to Kafka
 * Streams and its clients; keys prefixed {@value #REGISTRY_PREFIX}, and {@link #REGISTRY_KEYS}, to
 * the schema-registry client. Instances are immutable and thread-safe.
 */
public final class ArmguardConfig {

  /**
   * Prefix of pass-through Kafka client / Streams settings, e.g. {@code kafka.security.protocol}.
   */
  public static final String KAFKA_PREFIX = "kafka.";

  /** Prefix of schema-registry client settings (url, TLS). */
  public static final String REGISTRY_PREFIX = "schema.registry.";

  /** Registry client keys without the prefix, named as Confluent's serdes name them. */
  public static final List<String> REGISTRY_KEYS =
      List.of(
          "basic.auth.user.info",
          "basic.auth.credentials.source",
          "auto.register.schemas",
          "use.latest.version");

  public static final String APPLICATION_ID = "application.id";
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String TOPIC_REQUESTS = "topic.requests";
  public static final String TOPIC_COMPLETIONS = "topic.completions";
  public static final String TOPIC_AUDIT = "topic.audit";
  public static final String TOPIC_DLQ = "topic.dlq";
  public static final String NUM_STREAM_THREADS = "num.stream.threads";
  public static final String NUM_STANDBY_REPLICAS = "num.standby.replicas";
  public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
  public static final String TRANSACTION_TIMEOUT_MS = "transaction.timeout.ms";
  public static final String STATE_DIR = "state.dir";
  public static final String INSTANCE_ID = "instance.id";
  public static final String HTTP_PORT = "http.port";
  public static final String BATCH_SIZE = "batch.size";
  public static final String BATCH_MAX_DELAY_MS = "batch.max.delay.ms";
  public static final String BATCH_MAX_IN_FLIGHT = "batch.max.in.flight";
  public static final String DECODE_SCHEDULER = "decode.scheduler";
  public static final String BATCH_MAX_ROWS = "batch.max.rows";
  public static final String MODEL_LM_DIR = "model.lm.dir";
  public static final String MODEL_REWARD_DIR = "model.reward.dir";
  public static final String MODEL_RAD_DIR = "model.rad.dir";
  public static final String DEVICE = "device";
  public static final String DECODE_DEVICES = "decode.devices";
  public static final String ENGINE_THREADS = "engine.threads";
  public static final String DECODE_STRATEGY = "decode.strategy";
  public static final String DECODE_MAX_NEW_TOKENS = "decode.max.new.tokens";
  public static final String DECODE_MAX_NEW_TOKENS_LIMIT = "decode.max.new.tokens.limit";
  public static final String DECODE_TOP_K = "decode.top.k";
  public static final String DECODE_TOP_K_LIMIT = "decode.top.k.limit";
  public static final String DECODE_BETA = "decode.beta";
  public static final String DECODE_TEMPERATURE = "decode.temperature";
  public static final String DECODE_STEP_MS_WORST = "decode.step.ms.worst";
  public static final String TOXICITY_THRESHOLD = "toxicity.threshold";
  public static final String REWRITE_MAX_ATTEMPTS = "rewrite.max.attempts";
  public static final String REWRITE_FALLBACK_TEXT = "rewrite.fallback.text";
  public static final String REWRITE_MIN_NEW_TOKENS = "rewrite.min.new.tokens";

  /** The values of {@value #DECODE_STRATEGY}: the schema's strategies, lower case. */
  public static final List<String> DECODE_STRATEGIES = List.of("arm", "rad", "unguided");

  public static final String REWRITE_ACCEPT_RATIO = "rewrite.accept.ratio";
  public static final String REWRITE_EMPTY_PREFIX = "rewrite.empty.prefix";
  public static final String GENERATE_MIN_NEW_TOKENS = "generate.min.new.tokens";
  public static final String MODERATION_MODE = "moderation.mode";
  public static final String MODERATION_FALLBACK = "moderation.fallback";
  public static final String MODERATION_REPAIR = "moderation.repair";
  public static final String MODERATION_REDACTION_MASK = "moderation.redaction.mask";
  public static final String MODERATION_STEERING_LABEL = "moderation.steering.label";

  /**
   * Prefix of per-category thresholds, {@code toxicity.threshold.<label>} (e.g. {@code
   * toxicity.threshold.threat=0.3}); labels without one use {@value #TOXICITY_THRESHOLD}. Set in
   * the properties file only (no environment variable: labels may contain '_').
   */
  public static final String CATEGORY_THRESHOLD_PREFIX = "toxicity.threshold.";

  /** Largest beta accepted, in the config and per request. */
  public static final float BETA_MAX = 1000f;

  /** Largest temperature accepted, in the config and per request. */
  public static final float TEMPERATURE_MAX = 100f;

  public static final String LOG_CONTENT = "log.content";
  public static final String STATIC_MEMBERSHIP = "group.static.membership";
  public static final String SESSION_TIMEOUT_MS = "session.timeout.ms";
  public static final String SHUTDOWN_TIMEOUT_MS = "shutdown.timeout.ms";
  public static final String DEDUPE_WINDOW_MS = "dedupe.window.ms";

  public static final String STREAM_ENABLED = "stream.enabled";
  public static final String TOPIC_STREAM_IN = "topic.stream.in";
  public static final String TOPIC_STREAM_OUT = "topic.stream.out";
  public static final String STREAM_HOLDBACK_TOKENS = "stream.holdback.tokens";
  public static final String STREAM_ON_FLAG = "stream.on.flag";
  public static final String STREAM_IDLE_TIMEOUT_MS = "stream.idle.timeout.ms";
  public static final String STREAM_CLOSED_RETENTION_MS = "stream.closed.retention.ms";
  public static final String STREAM_MAX_PENDING_CHUNKS = "stream.max.pending.chunks";
  public static final String STREAM_SCORE_BATCHING = "stream.score.batching";

  /**
   * The largest {@code stream.holdback.tokens}, also for a stream's own {@code holdback_tokens}.
   */
  public static final int STREAM_HOLDBACK_TOKENS_MAX = 256;

  /** The values of {@code stream.on.flag}, also those of a stream's own {@code on_flag}. */
  public static final List<String> STREAM_ON_FLAG_VALUES = List.of("rewrite", "redact", "block");

  public static final String HTTP_BIND_ADDRESS = "http.bind.address";
  public static final String HTTP_AUTH_TOKEN = "http.auth.token";
  public static final String HTTP_AUTH_TOKEN_FILE = "http.auth.token.file";
  public static final String HTTP_METRICS_AUTH = "http.metrics.auth";
  public static final String MODERATION_API_ENABLED = "moderation.api.enabled";
  public static final String MODERATION_API_MAX_BODY_BYTES = "moderation.api.max.body.bytes";
  public static final String MODERATION_API_MAX_INPUTS = "moderation.api.max.inputs";
  public static final String MODERATION_API_MAX_CONCURRENT = "moderation.api.max.concurrent";
  public static final String MODERATION_API_TIMEOUT_MS = "moderation.api.timeout.ms";

  /** Every key, in documentation order. */
  public static final List<ConfigKey> KEYS =
      List.of(
          stringKey(APPLICATION_ID, "armguard", false, "Kafka Streams application id (group id)."),
          stringKey(BOOTSTRAP_SERVERS, "localhost:9092", false, "Kafka bootstrap servers."),
          stringKey(
              SCHEMA_REGISTRY_URL,
              "mock://armguard",
              false,
              "Confluent-compatible schema registry URL; mock://SCOPE = in-memory registry."),
          stringKey(TOPIC_REQUESTS, "armguard.requests", false, "Topic of GenerationRequests."),
          stringKey(TOPIC_COMPLETIONS, "armguard.completions", false, "Topic of Completions."),
          stringKey(TOPIC_AUDIT, "armguard.audit", false, "Topic of AuditRecords."),
          stringKey(TOPIC_DLQ, "armguard.dlq", false, "Dead-letter topic (undecodable records)."),
          intKey(NUM_STREAM_THREADS, 1, 1, 64, "Stream threads; each holds one decoding engine."),
          intKey(NUM_STANDBY_REPLICAS, 0, 0, 8, "Standby replicas of the batch buffer store."),
          intKey(COMMIT_INTERVAL_MS, 100, 1, 600_000, "Transaction commit interval."),
          intKey(
              TRANSACTION_TIMEOUT_MS,
              20_000,
              1_000,
              900_000,
              "Producer transaction timeout. An instance that crashes and is not restarted leaves"
                  + " a transaction open this long, and read_committed consumers of every output"
                  + " partition it wrote see nothing newer until then; with"
                  + " batch.max.in.flight=0 a whole batch must also decode well inside it."),
          stringKey(
              STATE_DIR,
              // not under the OS temp dir, which may be cleared under a running instance
              Path.of(System.getProperty("user.home"), ".armguard", "state").toString(),
              false,
              "Kafka Streams state directory (RocksDB batch buffer)."),
          stringKey(INSTANCE_ID, "", true, "Instance id written to audits; empty = host name."),
          intKey(
              HTTP_PORT, 8080, -1, 65_535, "Port of /health /ready /metrics; 0 = any, -1 = off."),
          stringKey(
              HTTP_BIND_ADDRESS,
              "127.0.0.1",
              false,
              "Address the HTTP port binds; 0.0.0.0 = every interface (then /v1/moderations needs"
                  + " http.auth.token)."),
          stringKey(
              HTTP_AUTH_TOKEN,
              "",
              true,
              "Bearer token of /v1/moderations (and of /metrics with http.metrics.auth); a secret:"
                  + " set it through ARMGUARD_HTTP_AUTH_TOKEN or ${file:...}/${dir:...}."),
          stringKey(
              HTTP_AUTH_TOKEN_FILE,
              "",
              true,
              "File holding the bearer token (trimmed), e.g. a mounted secret; instead of"
                  + " http.auth.token."),
          boolKey(HTTP_METRICS_AUTH, false, "Whether /metrics needs the bearer token too."),
          boolKey(
              MODERATION_API_ENABLED,
              true,
              "Serve POST /v1/moderations (OpenAI moderation shape) on the HTTP port."),
          intKey(
              MODERATION_API_MAX_BODY_BYTES,
              65_536,
              1_024,
              16 << 20,
              "Largest /v1/moderations request body; larger ones are answered 413."),
          intKey(
              MODERATION_API_MAX_INPUTS, 32, 1, 1024, "Most inputs in one /v1/moderations call."),
          intKey(
              MODERATION_API_MAX_CONCURRENT,
              4,
              1,
              256,
              "/v1/moderations calls admitted at once (scoring or waiting); more are answered 429."),
          intKey(
              MODERATION_API_TIMEOUT_MS,
              30_000,
              100,
              600_000,
              "A /v1/moderations call not scored within this is answered 503."),
          intKey(BATCH_SIZE, 8, 1, 1024, "Flush the micro-batch when this many requests wait."),
          intKey(
              BATCH_MAX_DELAY_MS,
              50,
              1,
              60_000,
              "Flush when the oldest buffered request has waited this long (wall clock)."),
          intKey(
              BATCH_MAX_IN_FLIGHT,
              2,
              0,
              64,
              "Batches a task may have decoding or queued on its decode worker (decode.scheduler"
                  + "=task) or, as batch.size x this many requests (decode.scheduler=instance) or"
                  + " batch.max.rows x this many (continuous), at the instance's scheduler, while"
                  + " the stream thread goes on polling, producing and committing; 0 = decode on"
                  + " the stream thread itself."),
          choiceKey(
              DECODE_SCHEDULER,
              "continuous",
              List.of("continuous", "instance", "task"),
              "continuous: one decode scheduler per engine pool, shared by every task and stream"
                  + " thread of the instance, with iteration-level batching: requests join the"
                  + " running batch at token boundaries and leave when done, up to batch.max.rows,"
                  + " no batching delay; instance: the same scheduler forming whole batches by"
                  + " batch.size / batch.max.delay.ms; task: each task batches its own requests on"
                  + " its stream thread's decode worker. batch.max.in.flight=0 decodes on the"
                  + " stream thread either way."),
          intKey(
              BATCH_MAX_ROWS,
              32,
              1,
              1_024,
              "decode.scheduler=continuous: most requests decided at once (rows in the running"
                  + " batch); each has one decode thread of its own waiting on the batch."),
          stringKey(MODEL_LM_DIR, "models/lm", false, "Language model directory (HF layout)."),
          stringKey(
              MODEL_REWARD_DIR,
              "models/arm",
              false,
              "ARM reward model directory: guides ARM requests and scores every MODERATE response."),
          stringKey(
              MODEL_RAD_DIR,
              "models/rad",
              true,
              "RAD reward model directory for RAD requests; empty or missing = RAD requests are"
                  + " REJECTED."),
          stringKey(DEVICE, "auto", false, "auto, cpu, gpu or gpu:N."),
          stringKey(
              DECODE_DEVICES,
              "",
              true,
              "Devices of the instance's decode scheduler, comma-separated, each as device (e.g."
                  + " gpu:0,gpu:1): one engine, one copy of the weights and one decode loop per"
                  + " entry, all taking requests from the one queue; empty = device alone. Needs"
                  + " decode.scheduler=continuous or instance; stream threads' own engines"
                  + " (streaming moderation, decode.scheduler=task) stay on device."),
          intKey(ENGINE_THREADS, 1, 1, 64, "Intra-op threads of the decoding engine."),
          choiceKey(
              DECODE_STRATEGY,
              "arm",
              DECODE_STRATEGIES,
              "Default decoding strategy of requests that name none."),
          intKey(DECODE_MAX_NEW_TOKENS, 32, 1, 4096, "Default max_new_tokens."),
          intKey(DECODE_MAX_NEW_TOKENS_LIMIT, 64, 1, 4096, "Largest max_new_tokens accepted."),
          intKey(DECODE_TOP_K, 20, 1, 100_000, "Default top_k."),
          intKey(DECODE_TOP_K_LIMIT, 100, 1, 100_000, "Largest top_k accepted."),
          floatKey(
              DECODE_BETA,
              100f,
              0f,
              BETA_MAX,
              "Default guidance strength beta (100, chosen on the detox validation prompts: with the"
                  + " shipped ARM, eval detox -53% at +14% perplexity; 10 changed little)."),
          floatKey(
              DECODE_TEMPERATURE, 1f, 0f, TEMPERATURE_MAX, "Default temperature (0 = greedy)."),
          intKey(
              DECODE_STEP_MS_WORST,
              30,
              1,
              600_000,
              "Worst-case ms of one decoding step per sequence (for the transaction-timeout check)."),
          floatKey(
              TOXICITY_THRESHOLD,
              0.5f,
              0f,
              1f,
              "Default threshold of every category (reward-model label); "
                  + CATEGORY_THRESHOLD_PREFIX
                  + "<label> sets one category's own."),
          choiceKey(
              MODERATION_MODE,
              "enforce",
              List.of("enforce", "report-only"),
              "enforce: flagged replies are rewritten, redacted or blocked; report-only: flagged,"
                  + " scored and audited, delivered unchanged."),
          stringKey(
              MODERATION_STEERING_LABEL,
              "",
              true,
              "Reward-model label that decides and steers (its threshold decides MODERATE, guidance"
                  + " steers away from it); empty = the model's steering_label (toxicity for the"
                  + " shipped models)."),
          intKey(REWRITE_MAX_ATTEMPTS, 2, 0, 16, "Guided regenerations tried before the fallback."),
          intKey(
              REWRITE_MIN_NEW_TOKENS,
              4,
              1,
              64,
              "A rewrite must add at least this many tokens (EOS is suppressed before; an empty,"
                  + " blank or shorter rewrite is a failed attempt); capped at max_new_tokens."),
          floatKey(
              REWRITE_ACCEPT_RATIO,
              0.5f,
              0.05f,
              1f,
              "A rewrite or redaction is delivered only when its score is below this share of the"
                  + " threshold (1 = the threshold itself; lower asks for a margin)."),
          boolKey(
              REWRITE_EMPTY_PREFIX,
              false,
              "Whether a reply flagged from its first clause (nothing of it kept) is rewritten:"
                  + " replaced by a new reply the LM writes to the prompt. Off by default (the"
                  + " shipped LM's new replies are not readable): such a reply goes to"
                  + " moderation.fallback at once (the redaction mask alone, or BLOCKED)."),
          intKey(
              GENERATE_MIN_NEW_TOKENS,
              1,
              0,
              64,
              "GENERATE: EOS is suppressed before this many tokens; capped at max_new_tokens."),
          choiceKey(
              MODERATION_REPAIR,
              "redact",
              List.of("redact", "rewrite"),
              "What a flagged reply gets first: redact = its clean part (the kept clause or"
                  + " sentences) plus the redaction mask, rewriting only the rest; rewrite = guided"
                  + " rewrites of the kept prefix first. A reply that keeps nothing is rewritten"
                  + " only with rewrite.empty.prefix=true. Either ends in moderation.fallback."),
          choiceKey(
              MODERATION_FALLBACK,
              "redact",
              List.of("redact", "block"),
              "After the failed rewrites: redact = the kept prefix plus the redaction mask if that"
                  + " scores below the threshold (else BLOCKED); block = the fallback text."),
          stringKey(
              MODERATION_REDACTION_MASK,
              "[removed]",
              false,
              "Text that replaces the flagged span of a REDACTED reply."),
          stringKey(
              REWRITE_FALLBACK_TEXT,
              "[armguard: this response was withheld because it could not be made non-toxic]",
              false,
              "Text delivered when a response is BLOCKED."),
          boolKey(LOG_CONTENT, false, "Whether logs may contain prompt and response text."),
          boolKey(
              STATIC_MEMBERSHIP,
              true,
              "Join the consumer group as a static member (group.instance.id from instance.id, or"
                  + " an id persisted in state.dir), so a restarted instance takes its partitions"
                  + " back at once instead of after the dead member's session timeout."),
          intKey(
              SESSION_TIMEOUT_MS,
              10_000,
              6_000,
              300_000,
              "Consumer session timeout: how long the group waits for an instance that stopped"
                  + " without leaving (a crash) before moving its partitions."),
          intKey(
              SHUTDOWN_TIMEOUT_MS,
              10_000,
              1_000,
              300_000,
              "How long a shutdown waits for Kafka Streams to commit and leave the group."),
          intKey(
              DEDUPE_WINDOW_MS,
              3_600_000,
              0,
              604_800_000,
              "Idempotency window: a request_id seen again within this time (wall clock) is dropped"
                  + " and counted, not answered twice; 0 = off."),
          boolKey(
              STREAM_ENABLED,
              false,
              "Moderate streamed replies (topic.stream.in -> topic.stream.out) in a second"
                  + " sub-topology; both topics must exist."),
          stringKey(
              TOPIC_STREAM_IN, "armguard.stream.in", false, "Topic of ReplyChunks (streamed)."),
          stringKey(
              TOPIC_STREAM_OUT,
              "armguard.stream.out",
              false,
              "Topic of ReleasedChunks (what the user is shown)."),
          intKey(
              STREAM_HOLDBACK_TOKENS,
              8,
              0,
              STREAM_HOLDBACK_TOKENS_MAX,
              "A streamed reply is released this many tokens behind the newest scored token, at a"
                  + " word boundary; 0 = at once (the flagged word is still withheld)."),
          choiceKey(
              STREAM_ON_FLAG,
              "rewrite",
              STREAM_ON_FLAG_VALUES,
              "When a streamed reply turns toxic: rewrite = complete it with ARM guidance from the"
                  + " released text (the rest of the chatbot's stream is dropped); redact = mask the"
                  + " flagged word and keep following; block = end it with rewrite.fallback.text."),
          intKey(
              STREAM_IDLE_TIMEOUT_MS,
              30_000,
              100,
              3_600_000,
              "A stream with no chunk for this long (wall clock) is closed as truncated; its"
                  + " unreleased tail is withheld."),
          intKey(
              STREAM_CLOSED_RETENTION_MS,
              3_600_000,
              0,
              604_800_000,
              "How long a closed stream is remembered, so that late chunks are dropped and counted"
                  + " instead of opening it again."),
          intKey(
              STREAM_MAX_PENDING_CHUNKS,
              64,
              1,
              10_000,
              "Chunks held ahead of a missing seq; one more closes the stream as truncated."),
          choiceKey(
              STREAM_SCORE_BATCHING,
              "padded",
              List.of("padded", "by-new-tokens", "single"),
              "How the streams scored together share the reward model's forward passes over their"
                  + " new tokens: padded = one pass for all (caches and new tokens padded and"
                  + " masked); by-new-tokens = one pass per new-token count (caches padded);"
                  + " single = one pass per stream."));

  private static final Map<String, ConfigKey> BY_NAME = index();

  private final Map<String, Object> values;
  private final Map<String, String> kafkaOverrides;
  private final Map<String, String> registryProps;
  private final Map<String, Float> categoryThresholds;

  private ArmguardConfig(
      Map<String, Object> values,
      Map<String, String> kafka,
      Map<String, String> registry,
      Map<String, Float> categoryThresholds) {
    this.values = values;
    this.kafkaOverrides = Collections.unmodifiableMap(kafka);
    this.registryProps = Collections.unmodifiableMap(registry);
    this.categoryThresholds = Collections.unmodifiableMap(categoryThresholds);
  }

  /** Defaults overridden by {@code props}, then by {@code env} ({@code ARMGUARD_*} variables). */
  public static ArmguardConfig from(Map<String, String> props, Map<String, String> env) {
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, String> kafka = new LinkedHashMap<>();
    Map<String, String> registry = new LinkedHashMap<>();
    Map<String, Float> categories = new LinkedHashMap<>();
    // ARMGUARD_KAFKA_* and registry variables, ${env:}/${file:}/${dir:} references (ConfigSources)
    props = ConfigSources.properties(props, env, KEYS);
    env = ConfigSources.fixedKeyEnvironment(env, KEYS);
    for (Map.Entry<String, String> e : props.entrySet()) {
      String key = e.getKey().trim();
      if (key.startsWith(CATEGORY_THRESHOLD_PREFIX)) {
        categories.put(
            key.substring(CATEGORY_THRESHOLD_PREFIX.length()),
            (Float) ConfigKey.floatKey(key, 0.5f, 0f, 1f, "").parse(e.getValue(), "config file"));
      } else if (key.startsWith(KAFKA_PREFIX)) {
        ManagedKafkaKeys.rejectOverride(key, key.substring(KAFKA_PREFIX.length()));
        kafka.put(key.substring(KAFKA_PREFIX.length()), e.getValue());
      } else if (key.startsWith(REGISTRY_PREFIX) || REGISTRY_KEYS.contains(key)) {
        registry.put(key, e.getValue());
      } else if (!BY_NAME.containsKey(key)) {
        throw new ConfigException(key, ConfigSuggestions.unknownKey(key, knownKeys()));
      }
    }
    for (ConfigKey k : KEYS) {
      String raw = k.defaultValue();
      String origin = "default";
      if (props.containsKey(k.name())) {
        raw = props.get(k.name());
        origin = "config file";
      }
      if (env.containsKey(k.envVar())) {
        raw = env.get(k.envVar());
        origin = "environment variable " + k.envVar();
      }
      values.put(k.name(), k.parse(raw, origin));
    }
    registry.put(SCHEMA_REGISTRY_URL, (String) values.get(SCHEMA_REGISTRY_URL));
    ArmguardConfig config = new ArmguardConfig(values, kafka, registry, categories);
    CrossFieldChecks.check(config);
    return config;
  }

  /** All defaults, overridden by the process environment. */
  public static ArmguardConfig fromEnvironment(Map<String, String> props) {
    return from(props, System.getenv());
  }

  /** Reads a properties file, then applies the process environment. */
  public static ArmguardConfig load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    Map<String, String> props = new HashMap<>();
    p.stringPropertyNames().forEach(n -> props.put(n, p.getProperty(n)));
    return from(props, System.getenv());
  }

  /**
   * {@link #load} of {@code file}, or {@link #fromEnvironment} with no properties when it is null:
   * what a command's optional {@code --config FILE} means.
   */
  public static ArmguardConfig loadOrDefaults(Path file) throws IOException {
    return file == null ? fromEnvironment(Map.of()) : load(file);
  }

  /** A copy with some keys replaced (validated again). */
  public ArmguardConfig with(Map<String, String> overrides) {
    Map<String, String> props = new HashMap<>(asStrings());
    kafkaOverrides.forEach((k, v) -> props.put(KAFKA_PREFIX + k, v));
    registryProps.forEach(props::put);
    categoryThresholds.forEach(
        (label, t) -> props.put(CATEGORY_THRESHOLD_PREFIX + label, Float.toString(t)));
    props.putAll(overrides);
    return from(props, Map.of());
  }

  /** Worst case of one flush: every request needs all tokens, and every rewrite attempt. */
  public long worstCaseBatchMs() {
    return (long) batchSize()
        * decodeMaxNewTokensLimit()
        * (1L + rewriteMaxAttempts())
        * intValue(DECODE_STEP_MS_WORST);
  }

  private static Map<String, ConfigKey> index() {
    Map<String, ConfigKey> m = new LinkedHashMap<>();
    KEYS.forEach(k -> m.put(k.name(), k));
    return Collections.unmodifiableMap(m);
  }

  /** The key's definition, or null. */
  public static ConfigKey key(String name) {
    return BY_NAME.get(name);
  }

  /** Every fixed and registry key, for "did you mean". */
  private static List<String> knownKeys() {
    List<String> known = new java.util.ArrayList<>(BY_NAME.keySet());
    known.addAll(REGISTRY_KEYS);
    known.addAll(
        List.of(
            REGISTRY_PREFIX + "ssl.truststore.location",
            REGISTRY_PREFIX + "ssl.truststore.password",
            REGISTRY_PREFIX + "ssl.keystore.location",
            REGISTRY_PREFIX + "ssl.keystore.password"));
    return known;
  }

  /**
   * Every effective setting as text, fit for a log line: the fixed keys, {@code kafka.*} and the
   * registry client's keys, with every secret value (Kafka's password-typed settings, and keys
   * named password, secret, token, credentials, user info or jaas) replaced by {@value
   * ConfigRedaction#HIDDEN} and the user info of URLs removed.
   */
  public Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    asStrings().forEach((k, v) -> out.put(k, ConfigRedaction.redact(k, v)));
    registryProps.forEach((k, v) -> out.put(k, ConfigRedaction.redact(k, v)));
    kafkaOverrides.forEach(
        (k, v) -> out.put(KAFKA_PREFIX + k, ConfigRedaction.redact(KAFKA_PREFIX + k, v)));
    categoryThresholds.forEach((k, v) -> out.put(CATEGORY_THRESHOLD_PREFIX + k, v.toString()));
    return out;
  }

  /** Every key's effective value as text (for the docs table; may hold secrets: see describe). */
  public Map<String, String> asStrings() {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  /** Kafka settings given with the {@value #KAFKA_PREFIX} prefix, prefix removed. */
  public Map<String, String> kafkaOverrides() {
    return kafkaOverrides;
  }

  /** Schema-registry client settings (keys keep their {@value #REGISTRY_PREFIX} prefix). */
  public Map<String, String> registryProperties() {
    return registryProps;
  }

  public String string(String key) {
    return (String) values.get(key);
  }

  public int intValue(String key) {
    return (Integer) values.get(key);
  }

  public float floatValue(String key) {
    return (Float) values.get(key);
  }

  public boolean bool(String key) {
    return (Boolean) values.get(key);
  }

  public String applicationId() {
    return string(APPLICATION_ID);
  }

  public String bootstrapServers() {
    return string(BOOTSTRAP_SERVERS);
  }

  public String schemaRegistryUrl() {
    return string(SCHEMA_REGISTRY_URL);
  }

  public String requestsTopic() {
    return string(TOPIC_REQUESTS);
  }

  public String completionsTopic() {
    return string(TOPIC_COMPLETIONS);
  }

  public String auditTopic() {
    return string(TOPIC_AUDIT);
  }

  public String dlqTopic() {
    return string(TOPIC_DLQ);
  }

  public int batchSize() {
    return intValue(BATCH_SIZE);
  }

  public long batchMaxDelayMs() {
    return intValue(BATCH_MAX_DELAY_MS);
  }

  /** Batches per task in flight on the decode worker; 0 = decode on the stream thread. */
  public int batchMaxInFlight() {
    return intValue(BATCH_MAX_IN_FLIGHT);
  }

  /**
   * Whether batches form across every task of the instance ({@code decode.scheduler=instance} with
   * a decode worker), rather than per task.
   */
  public boolean instanceScheduler() {
    return ("instance".equals(string(DECODE_SCHEDULER)) || continuousScheduler())
        && batchMaxInFlight() > 0;
  }

  /**
   * Whether the instance's scheduler batches at token boundaries ({@code
   * decode.scheduler=continuous}); it is an instance scheduler ({@link #instanceScheduler}).
   */
  public boolean continuousScheduler() {
    return "continuous".equals(string(DECODE_SCHEDULER)) && batchMaxInFlight() > 0;
  }

  /**
   * The decode scheduler's devices in order: {@code decode.devices} split at commas, or {@code
   * device} alone when it is empty. Never empty.
   */
  public List<String> decodeDevices() {
    String list = string(DECODE_DEVICES).trim();
    if (list.isEmpty()) {
      return List.of(string(DEVICE));
    }
    return Arrays.stream(list.split(",")).map(String::trim).toList();
  }

  public int batchMaxRows() {
    return intValue(BATCH_MAX_ROWS);
  }

  public long commitIntervalMs() {
    return intValue(COMMIT_INTERVAL_MS);
  }

  public long transactionTimeoutMs() {
    return intValue(TRANSACTION_TIMEOUT_MS);
  }

  /**
   * The default decoding strategy, lower case, one of {@link #DECODE_STRATEGIES}; the streams layer
   * maps it onto the schema's enum (the configuration does not depend on generated Avro code).
   */
  public String decodeStrategy() {
    return (String) values.get(DECODE_STRATEGY);
  }

  public int decodeMaxNewTokens() {
    return intValue(DECODE_MAX_NEW_TOKENS);
  }

  public int decodeMaxNewTokensLimit() {
    return intValue(DECODE_MAX_NEW_TOKENS_LIMIT);
  }

  public int decodeTopK() {
    return intValue(DECODE_TOP_K);
  }

  public int decodeTopKLimit() {
    return intValue(DECODE_TOP_K_LIMIT);
  }

  public float decodeBeta() {
    return floatValue(DECODE_BETA);
  }

  public float decodeTemperature() {
    return floatValue(DECODE_TEMPERATURE);
  }

  public float toxicityThreshold() {
    return floatValue(TOXICITY_THRESHOLD);
  }

  public int rewriteMaxAttempts() {
    return intValue(REWRITE_MAX_ATTEMPTS);
  }

  public String rewriteFallbackText() {
    return string(REWRITE_FALLBACK_TEXT);
  }

  /** Per-category thresholds set with {@value #CATEGORY_THRESHOLD_PREFIX}{@code <label>}. */
  public Map<String, Float> categoryThresholds() {
    return categoryThresholds;
  }

  /** {@code enforce} or {@code report-only}. */
  public String moderationMode() {
    return string(MODERATION_MODE);
  }

  /** {@code redact} or {@code block}. */
  public String moderationFallback() {
    return string(MODERATION_FALLBACK);
  }

  /** The configured steering label, or empty for the reward model's own. */
  public String steeringLabel() {
    return string(MODERATION_STEERING_LABEL);
  }

  public boolean logContent() {
    return bool(LOG_CONTENT);
  }

  /** The configured instance id, or the host name when empty. */
  public String instanceId() {
    String id = string(INSTANCE_ID);
    if (!id.isEmpty()) {
      return id;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "armguard";
    }
  }
}
