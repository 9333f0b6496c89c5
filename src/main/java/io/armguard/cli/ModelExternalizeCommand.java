package io.armguard.cli;

import io.armguard.model.ExternalTensors;
import io.armguard.model.onnx.Externalizer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code armguard model externalize}: reference an imported base's tensors instead of storing them.
 */
@Command(
    name = "externalize",
    mixinStandardHelpOptions = true,
    description = {
      "Rewrite a model directory so that every tensor equal (bit for bit, in the dtype the"
          + " directory stores) to the same-named tensor of the imported encoder it was started"
          + " from is dropped from model.safetensors and referenced in external.json (Maven"
          + " coordinates + SHA-256); loading reads it from the artifact (classpath or local Maven"
          + " repository) and verifies it.",
      "Run it once per model directory after training, e.g. for an ARM reward model with frozen"
          + " embeddings. Idempotent. The directory's id changes (its files do)."
    })
public final class ModelExternalizeCommand implements Callable<Integer> {

  @Option(names = "--dir", required = true, description = "model directory to rewrite in place")
  Path dir;

  @Option(
      names = "--base",
      required = true,
      description = "the encoder directory written by `model import` (has source.json)")
  Path base;

  @Override
  public Integer call() throws Exception {
    Externalizer.Report r = Externalizer.externalize(dir, base);
    System.out.printf(
        "%s: %d tensors now referenced from %s %s; model.safetensors + %s %s -> %s bytes"
            + " (saved %s); id %s -> %s%n",
        dir,
        r.externalized().size(),
        r.artifact(),
        abbreviated(r.externalized(), 6),
        ExternalTensors.FILE,
        r.bytesBefore(),
        r.bytesAfter(),
        r.bytesSaved(),
        r.idBefore(),
        r.idAfter());
    return 0;
  }

  /** The first {@code shown} names, then how many more. */
  static String abbreviated(List<String> names, int shown) {
    if (names.size() <= shown) {
      return names.toString();
    }
    return names.subList(0, shown) + " and " + (names.size() - shown) + " more";
  }
}
