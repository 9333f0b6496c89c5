package io.armguard.streams;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a dead stream thread's static member from the consumer group. A static member does not
 * leave when its consumer closes, and Kafka Streams gives the replacement thread the next free
 * thread index, hence another {@code group.instance.id}: without this the dead member would keep
 * its partitions until {@code session.timeout.ms} ran out. The request is sent asynchronously; a
 * failure only means the session timeout applies. Thread-safe; close with the service.
 */
final class StaticMemberEviction implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StaticMemberEviction.class);
  private static final Pattern THREAD_INDEX = Pattern.compile("-StreamThread-(\\d+)$");

  private final String groupId;
  private final String groupInstanceId;
  private final Map<String, Object> adminConfig;
  private Admin admin;

  /**
   * @param groupInstanceId the configured id; Kafka Streams appends {@code -<thread index>}
   * @param clientConfig Kafka client settings; only the admin client's keys are used
   */
  StaticMemberEviction(String groupId, String groupInstanceId, Map<String, ?> clientConfig) {
    this.groupId = groupId;
    this.groupInstanceId = groupInstanceId;
    this.adminConfig = new java.util.HashMap<>();
    clientConfig.forEach(
        (k, v) -> {
          if (AdminClientConfig.configNames().contains(k)) {
            adminConfig.put(k, v);
          }
        });
  }

  /** Asks the coordinator to remove the member of the stream thread named {@code threadName}. */
  synchronized void evict(String threadName) {
    Matcher m = THREAD_INDEX.matcher(threadName);
    if (!m.find()) {
      return;
    }
    String member = groupInstanceId + "-" + m.group(1);
    if (admin == null) {
      admin = Admin.create(adminConfig);
    }
    admin
        .removeMembersFromConsumerGroup(
            groupId, new RemoveMembersFromConsumerGroupOptions(List.of(new MemberToRemove(member))))
        .all()
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                LOG.info(
                    "static member {} not removed ({}); its session will expire",
                    member,
                    error.toString());
              } else {
                LOG.info("removed static member {} of a dead stream thread", member);
              }
            });
  }

  @Override
  public synchronized void close() {
    if (admin != null) {
      admin.close(java.time.Duration.ofSeconds(2));
    }
  }
}
