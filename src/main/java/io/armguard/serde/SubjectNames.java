package io.armguard.serde;

/** Confluent's TopicNameStrategy: a topic's values live under {@code <topic>-value}. */
public final class SubjectNames {
  private SubjectNames() {}

  /** {@code <topic>-key} or {@code <topic>-value}. */
  public static String topicName(String topic, boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }
}
