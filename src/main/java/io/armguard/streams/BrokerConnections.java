package io.armguard.streams;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Counts the open broker connections of Kafka Streams' main consumers, from the clients' own {@code
 * connection-count} metric: 0 means no broker can be reached (the clients reconnect on their own;
 * this only reports). Cheap: reads metrics, sends nothing.
 */
final class BrokerConnections {

  private BrokerConnections() {}

  static int count(KafkaStreams streams) {
    double total = 0;
    for (var e : streams.metrics().entrySet()) {
      MetricName name = e.getKey();
      String client = name.tags().getOrDefault("client-id", "");
      if (name.name().equals("connection-count")
          && name.group().equals("consumer-metrics")
          && client.endsWith("-consumer")
          && !client.endsWith("-restore-consumer")) {
        total += value(e.getValue());
      }
    }
    return (int) total;
  }

  private static double value(Metric m) {
    return m.metricValue() instanceof Number n ? n.doubleValue() : 0;
  }
}
