package io.armguard.cli;

import ai.djl.ndarray.NDManager;
import io.armguard.model.BackboneConfig;
import io.armguard.model.BertConfig;
import io.armguard.model.ExternalTensors;
import io.armguard.model.GptConfig;
import io.armguard.model.ModelDirectory;
import io.armguard.model.SafetensorsFile;
import io.armguard.model.onnx.ImportSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code armguard model info}: prints a model directory's architecture, shape, source and id. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description =
        "Load a model directory (GPT-2 or BERT layout, LM or reward model) and print its"
            + " architecture, attention modes, shape, vocabulary, parameter count, extra tensors,"
            + " external tensors (external.json), source and id.")
public final class ModelInfoCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "model directory")
  Path dir;

  @Override
  public Integer call() throws Exception {
    try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      ModelDirectory.Loaded m = ModelDirectory.load(dir, manager);
      BackboneConfig c = m.config();
      long params =
          m.backbone().namedParameters().values().stream()
              .mapToLong(p -> p.getArray().size())
              .sum();
      SafetensorsFile file = SafetensorsFile.open(dir.resolve(ModelDirectory.WEIGHTS));
      String dtype =
          file.names().stream()
              .map(n -> file.entry(n).dtype().name())
              .distinct()
              .reduce((a, b) -> a + "+" + b)
              .orElse("none");
      System.out.printf(
          "%s%n  architecture %s%n  attention %s%n"
              + "  vocab %d, context %d, d_model %d, layers %d, heads %d, %s%n"
              + "  backbone parameters %d (%s on disk)%n  extra tensors %s%n"
              + "  external tensors %s%n  tokenizer %s%n  source %s%n",
          m.id(),
          architecture(c),
          attention(c),
          c.vocabSize(),
          c.maxPositions(),
          c.hiddenSize(),
          c.layerCount(),
          c.headCount(),
          shapeDetails(c),
          params,
          dtype,
          m.extras().keySet(),
          external(ExternalTensors.read(dir)),
          m.tokenizer() == null
              ? "none"
              : m.tokenizer().kind()
                  + ", "
                  + m.tokenizer().vocabSize()
                  + " ids, bos "
                  + m.tokenizer().bosId()
                  + ", end of text "
                  + m.tokenizer().eosId()
                  + ", pad "
                  + m.tokenizer().padId(),
          source(dir));
      if (m.tokenizer() != null) {
        m.tokenizer().close();
      }
    }
    return 0;
  }

  /** What external.json references: count, F32 size, sources, names. */
  private static String external(ExternalTensors ext) {
    if (ext.isEmpty()) {
      return "none";
    }
    String sources =
        ext.tensors().values().stream()
            .map(r -> r.artifact() + "!/" + r.entry())
            .distinct()
            .reduce((a, b) -> a + ", " + b)
            .orElse("");
    return ext.tensors().size()
        + " ("
        + ext.float32Bytes()
        + " bytes as F32, not in model.safetensors; from "
        + sources
        + ", SHA-256 verified on load) "
        + ModelExternalizeCommand.abbreviated(List.copyOf(ext.tensors().keySet()), 8);
  }

  private static String architecture(BackboneConfig c) {
    if (c instanceof GptConfig) {
      return "gpt2 (GptBackbone: pre-LayerNorm, final ln_f, tied LM head)";
    }
    return "bert (BertBackbone: post-LayerNorm, token types, no pooler; LM head tied to the word"
        + " embeddings)";
  }

  private static String attention(BackboneConfig c) {
    if (c instanceof BertConfig b) {
      return b.isDecoder()
          ? "causal (is_decoder: true; KV cache; encode() still runs bidirectionally)"
          : "bidirectional (is_decoder: false; set it for causal use: reward models, LM)";
    }
    return "causal (KV cache)";
  }

  private static String shapeDetails(BackboneConfig c) {
    if (c instanceof GptConfig g) {
      return "activation " + g.activationFunction();
    }
    BertConfig b = (BertConfig) c;
    return "FFN "
        + b.intermediateSize()
        + ", activation "
        + b.hiddenAct()
        + ", token types "
        + b.typeVocabSize();
  }

  /** Where the weights came from: source.json (import), training.json or armguard.json. */
  private static String source(Path dir) throws java.io.IOException {
    ImportSource s = ImportSource.read(dir);
    if (s != null) {
      return "imported from "
          + s.artifact()
          + " ("
          + s.entry()
          + ", sha256 "
          + s.onnxSha256()
          + ", licence "
          + s.license()
          + ")";
    }
    if (Files.exists(dir.resolve("training.json"))) {
      return "trained by armguard (training.json, README.md)";
    }
    if (Files.exists(dir.resolve("armguard.json"))) {
      return "armguard reward model (armguard.json), no training record";
    }
    return "unknown (no source.json or training.json)";
  }
}
