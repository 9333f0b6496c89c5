package io.armguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopologyCommandTest {

  @TempDir Path tmp;

  @Test
  void writesTheDescribedTopologyWithConfiguredTopicNames() throws Exception {
    Path config = tmp.resolve("t.properties");
    Files.writeString(config, "topic.requests=in\ntopic.completions=out\ntopic.audit=audit\n");
    Path out = tmp.resolve("sub/topology.txt");
    int code =
        Main.commandLine()
            .execute("topology", "--config", config.toString(), "--out", out.toString());
    assertEquals(0, code);
    String text = Files.readString(out);
    assertTrue(text.contains("Source: requests-source (topics: [in])"), text);
    assertTrue(text.contains("Processor: micro-batch (stores: [micro-batch-buffer])"), text);
    assertTrue(text.contains("Sink: completions-sink (topic: out)"), text);
  }

  @Test
  void anInvalidConfigFailsNamingTheKey() throws Exception {
    Path config = tmp.resolve("bad.properties");
    Files.writeString(config, "batch.size=0\n");
    int code =
        Main.commandLine()
            .execute(
                "topology", "--config", config.toString(), "--out", tmp.resolve("x").toString());
    assertEquals(1, code);
  }
}
