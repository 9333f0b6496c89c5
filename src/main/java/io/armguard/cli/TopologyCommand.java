package io.armguard.cli;

import io.armguard.config.ArmguardConfig;
import io.armguard.streams.ArmguardTopology;
import io.armguard.streams.EnginePool;
import io.armguard.streams.PipelineMetrics;
import io.armguard.streams.TopologyDiagram;
import io.armguard.streams.TopologySerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.TopologyDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code armguard topology}: prints {@code Topology.describe()} and writes it to a file. */
@Command(
    name = "topology",
    mixinStandardHelpOptions = true,
    description = {
      "Print the Kafka Streams topology (Topology.describe()) for a configuration and write it to"
          + " --out. Loads no model and contacts no broker or registry."
    })
public final class TopologyCommand implements Callable<Integer> {

  @Option(names = "--config", description = "properties file (defaults otherwise; env overrides)")
  Path configFile;

  @Option(
      names = "--out",
      defaultValue = "runs/topology/topology.txt",
      description =
          "file to write (default: ${DEFAULT-VALUE}); an SVG picture is written next to it;"
              + " an existing file outside runs/ needs --force")
  Path out;

  @Mixin OutputGuard.Force force;

  /** The picture goes next to the text: topology.txt -> topology.svg. */
  private Path svgPath() {
    String name = out.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return out.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".svg");
  }

  @Override
  public Integer call() throws Exception {
    OutputGuard.file(out, force.force);
    OutputGuard.file(svgPath(), force.force);
    ArmguardConfig config = ArmguardConfig.loadOrDefaults(configFile);
    // Describing builds no processor, so the engine factory is never called.
    EnginePool noEngines =
        new EnginePool(
            () -> {
              throw new IllegalStateException("describing a topology decodes nothing");
            });
    TopologyDescription description =
        ArmguardTopology.buildTopology(
                config,
                TopologySerdes.fromConfig(config),
                noEngines,
                new PipelineMetrics(new SimpleMeterRegistry()))
            .describe();
    String text = description.toString();
    System.out.print(text);
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.writeString(out, text, StandardCharsets.UTF_8);
    Path picture = svgPath();
    Files.writeString(picture, TopologyDiagram.svg(description), StandardCharsets.UTF_8);
    System.err.println("armguard: wrote " + out + " and " + picture);
    return 0;
  }
}
