package io.armguard.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.armguard.bench.BackboneBenchmark;
import io.armguard.model.Backbone;
import io.armguard.model.EngineThreads;
import io.armguard.model.ModelDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code armguard bench backbone}: forward cost of a model directory's backbone. */
@Command(
    name = "backbone",
    mixinStandardHelpOptions = true,
    description = {
      "Time a model directory's backbone alone: bidirectional batch encoding (texts/s, BERT"
          + " only) and causal one-token KV-cached steps (ms/step) at each --batch. A"
          + " bidirectional BERT is timed causally as is_decoder: true (same weights).",
      "Prints one JSON object per configuration."
    })
public final class BenchBackboneCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "model directory (GPT-2 or BERT layout)")
  Path dir;

  @Option(
      names = "--batch",
      split = ",",
      defaultValue = "1,8,32",
      description = "batch sizes of the causal steps (default: ${DEFAULT-VALUE})")
  List<Integer> batches;

  @Option(
      names = "--prompt-tokens",
      defaultValue = "32",
      description = "prefill / text length (default: ${DEFAULT-VALUE})")
  int promptTokens;

  @Option(
      names = "--steps",
      defaultValue = "20",
      description = "timed steps per batch size (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(
      names = "--encode-batch",
      defaultValue = "32",
      description = "texts per bidirectional batch (default: ${DEFAULT-VALUE})")
  int encodeBatch;

  @Mixin RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    Device device = runtime.apply();
    try (NDManager root = NDManager.newBaseManager(device)) {
      ModelDirectory.Loaded m = ModelDirectory.load(dir, root);
      if (m.tokenizer() != null) {
        m.tokenizer().close();
      }
      Backbone backbone = m.backbone();
      BackboneBenchmark bench = new BackboneBenchmark(backbone, root);
      JsonObject bi =
          EngineThreads.inferenceOnly(() -> bench.bidirectional(encodeBatch, promptTokens, 5));
      if (bi != null) {
        print(bi, m.id());
      }
      Backbone causal =
          backbone.attentionMode() == io.armguard.model.AttentionMode.CAUSAL
              ? backbone
              : ModelDirectory.copy(backbone, backbone.config().asCausal(), root);
      BackboneBenchmark steps = new BackboneBenchmark(causal, root);
      for (int b : batches) {
        print(
            EngineThreads.inferenceOnly(() -> steps.causalSteps(b, promptTokens, this.steps)),
            m.id());
      }
    }
    return 0;
  }

  private void print(JsonObject o, String id) {
    o.addProperty("model", id);
    o.addProperty("threads", runtime.threads());
    System.out.println(o);
  }
}
