package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

class TopologyDiagramTest {

  @Test
  void svgIsWellFormedAndNamesEveryNodeAndTopic() throws Exception {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()).withName("src"))
        .mapValues(v -> v, Named.as("upper"))
        .to("out", Produced.with(Serdes.String(), Serdes.String()).withName("sink"));
    Topology topology = builder.build();
    String svg = TopologyDiagram.svg(topology.describe());
    DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    for (String name : new String[] {"src", "upper", "sink", "topic in", "topic out"}) {
      assertTrue(svg.contains(">" + name + "<"), name + " drawn");
    }
  }
}
