package io.armguard.streams;

import io.armguard.config.ArmguardConfig;
import io.armguard.schema.AuditRecord;
import io.armguard.schema.BufferedRequest;
import io.armguard.schema.Completion;
import io.armguard.schema.GenerationRequest;
import io.armguard.schema.ReleasedChunk;
import io.armguard.schema.ReplyChunk;
import io.armguard.schema.StreamState;
import io.armguard.serde.SubjectNames;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every registry subject a configured service reads or writes, with this build's schema for it: the
 * values of the requests, completions and audit topics, the micro-batch buffer's changelog and,
 * with {@code stream.enabled}, the streamed-reply topics and the stream-state changelog
 * (TopicNameStrategy, as {@link TopologySerdes} and {@link StreamSerdes} write them). What must be
 * registered before a service configured with {@code auto.register.schemas=false} starts ({@code
 * armguard schemas register}). Keys are plain strings and have no subject; the dead-letter topic
 * keeps the original bytes.
 */
public final class ServiceSchemas {

  /**
   * One subject.
   *
   * @param subject the subject name ({@code <topic>-value})
   * @param topic the topic whose values it describes (a changelog for the stores)
   * @param schema this build's schema of those values
   */
  public record Subject(String subject, String topic, Schema schema) {}

  private ServiceSchemas() {}

  /** The subjects of the service {@code config} describes, topics first, then changelogs. */
  public static List<Subject> of(ArmguardConfig config) {
    List<Subject> subjects = new ArrayList<>();
    add(subjects, config.requestsTopic(), GenerationRequest.getClassSchema());
    add(subjects, config.completionsTopic(), Completion.getClassSchema());
    add(subjects, config.auditTopic(), AuditRecord.getClassSchema());
    if (config.bool(ArmguardConfig.STREAM_ENABLED)) {
      add(subjects, config.string(ArmguardConfig.TOPIC_STREAM_IN), ReplyChunk.getClassSchema());
      add(subjects, config.string(ArmguardConfig.TOPIC_STREAM_OUT), ReleasedChunk.getClassSchema());
    }
    add(
        subjects,
        changelog(config, ArmguardTopology.BUFFER_STORE),
        BufferedRequest.getClassSchema());
    if (config.bool(ArmguardConfig.STREAM_ENABLED)) {
      add(subjects, changelog(config, StreamTopology.STATE_STORE), StreamState.getClassSchema());
    }
    return subjects;
  }

  /** Kafka Streams' name of a store's changelog topic (the store's serde is asked for it). */
  static String changelog(ArmguardConfig config, String store) {
    return config.applicationId() + "-" + store + "-changelog";
  }

  private static void add(List<Subject> subjects, String topic, Schema schema) {
    subjects.add(new Subject(SubjectNames.topicName(topic, false), topic, schema));
  }
}
