package io.armguard.cli;

import ai.djl.ndarray.NDManager;
import io.armguard.model.GptConfig;
import io.armguard.model.ModelDirectory;
import io.armguard.model.SafetensorsFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code armguard model info}: prints a model directory's shape, tensors and id. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description =
        "Load a model directory and print its config, parameter count, extra tensors and id.")
public final class ModelInfoCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "model directory")
  Path dir;

  @Override
  public Integer call() throws Exception {
    try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      ModelDirectory.Loaded m = ModelDirectory.load(dir, manager);
      GptConfig c = m.config();
      long params =
          m.backbone().namedParameters().values().stream()
              .mapToLong(p -> p.getArray().size())
              .sum();
      SafetensorsFile file = SafetensorsFile.open(dir.resolve(ModelDirectory.WEIGHTS));
      String dtype = file.entry(file.names().iterator().next()).dtype().name();
      System.out.printf(
          "%s%n  vocab %d, context %d, d_model %d, layers %d, heads %d, activation %s%n"
              + "  backbone parameters %d (%s on disk)%n  extra tensors %s%n  tokenizer %s%n",
          m.id(),
          c.vocabSize(),
          c.nPositions(),
          c.nEmbd(),
          c.nLayer(),
          c.nHead(),
          c.activationFunction(),
          params,
          dtype,
          m.extras().keySet(),
          m.tokenizer() == null
              ? "none"
              : m.tokenizer().vocabSize() + " ids, eos " + m.tokenizer().eosId());
      if (m.tokenizer() != null) {
        m.tokenizer().close();
      }
    }
    return 0;
  }
}
