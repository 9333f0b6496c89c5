package io.armguard.cli;

import io.armguard.config.ArmguardConfig;
import io.armguard.config.ConfigRedaction;
import io.armguard.serde.SchemaRegistries;
import io.armguard.serde.SchemaRegistry;
import io.armguard.serde.SchemaRegistryException;
import io.armguard.streams.ServiceSchemas;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code armguard schemas register}: registers this build's schemas under every subject the
 * configured service uses ({@link ServiceSchemas}), so that services can run with {@code
 * auto.register.schemas=false} and {@code use.latest.version=true}, as Confluent recommends for
 * production. Idempotent: a subject that already holds the schema is left as it is.
 */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    description = {
      "Register this build's Avro schemas under every subject the configured service reads or"
          + " writes: the values of topic.requests, topic.completions and topic.audit and the"
          + " micro-batch buffer's changelog (<application.id>-micro-batch-buffer-changelog);"
          + " with stream.enabled also topic.stream.in, topic.stream.out and the stream-state"
          + " changelog. Uses the service's configuration (--config FILE, ARMGUARD_* variables:"
          + " basic auth and TLS apply), -r / --set to override.",
      "Run it before starting services configured with auto.register.schemas=false (and"
          + " use.latest.version=true), and again after an upgrade that changes a schema: the"
          + " registry's compatibility level decides whether the new version is accepted.",
      "Prints one line per subject: SUBJECT registered|unchanged id N. Exit code 1 if the"
          + " registry refuses one (e.g. HTTP 409, incompatible)."
    })
public final class SchemasRegisterCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Option(
      names = "--dry-run",
      description = "print the subjects and their record types; contact no registry")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    ArmguardConfig config = cluster.config();
    List<ServiceSchemas.Subject> subjects = ServiceSchemas.of(config);
    if (dryRun) {
      subjects.forEach(s -> System.out.println(s.subject() + " " + s.schema().getFullName()));
      return 0;
    }
    ClusterOptions.requireSharedRegistry(config);
    SchemaRegistry registry = SchemaRegistries.fromConfigs(config.registryProperties());
    int registered = 0;
    for (ServiceSchemas.Subject s : subjects) {
      try {
        Integer known = lookup(registry, s);
        if (known != null) {
          System.out.println(s.subject() + " unchanged id " + known);
        } else {
          System.out.println(
              s.subject() + " registered id " + registry.register(s.subject(), s.schema()));
          registered++;
        }
      } catch (SchemaRegistryException e) {
        System.err.println("schemas register: " + s.subject() + ": " + e.getMessage());
        return 1;
      }
    }
    System.err.printf(
        "schemas register: %d subjects at %s, %d registered, %d unchanged%n",
        subjects.size(),
        ConfigRedaction.redact(ArmguardConfig.SCHEMA_REGISTRY_URL, config.schemaRegistryUrl()),
        registered,
        subjects.size() - registered);
    return 0;
  }

  /** The schema's id under the subject, or null when the subject does not hold it (404). */
  private static Integer lookup(SchemaRegistry registry, ServiceSchemas.Subject s) {
    try {
      return registry.lookup(s.subject(), s.schema());
    } catch (SchemaRegistryException e) {
      if (e.isNotFound()) {
        return null;
      }
      throw e;
    }
  }
}
