package io.armguard.model.onnx;

import io.armguard.model.ExternalTensors;
import io.armguard.model.ModelDirectory;
import io.armguard.model.PinnedArtifacts;
import io.armguard.model.SafetensorsFile;
import io.armguard.model.SafetensorsWriter;
import io.armguard.model.SafetensorsWriter.HostTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code armguard model externalize}: drops from a model directory every tensor that equals the
 * same-named tensor of the imported encoder it was started from, and references it in {@code
 * external.json} instead ({@link ExternalTensors}), so a fine-tuned model does not store weights
 * that the encoder's Maven artifact already holds (ARM's frozen word embedding: 30522 x 384, 47 MB
 * in F32, 23 MB in F16).
 *
 * <p>"Equals" means bit for bit in the dtype the directory stores the tensor in, after converting
 * the source's float32 to that dtype ({@link io.armguard.model.SafetensorsDType#storedBits}). The
 * comparison is against the ONNX initializer itself (the bytes that loading will materialise),
 * found through the base directory's {@code source.json} and checked against the ONNX SHA-256
 * recorded there. Consequences for loading: an F32 directory loads bit-identical arrays after
 * externalizing; an F16 directory loads the source's float32 values for the externalized tensors,
 * not their F16 rounding (closer to the weights training saw, since frozen tensors stay float32 in
 * memory).
 *
 * <p>The rewrite keeps every other tensor's bytes and dtype, writes external.json first and
 * model.safetensors second, each by atomic move; running it again is a no-op, and it also repairs a
 * directory where an interrupted run left a tensor both stored and referenced. Not thread-safe per
 * directory.
 */
public final class Externalizer {

  /**
   * What a run changed.
   *
   * @param dir the rewritten directory
   * @param artifact the base's Maven coordinates
   * @param externalized tensors moved to external.json by this run, in file order
   * @param bytesBefore model.safetensors + external.json before, in bytes
   * @param bytesAfter the same after
   * @param idBefore the directory's id before ({@link ModelDirectory#id})
   * @param idAfter its id after (differs when anything moved)
   */
  public record Report(
      Path dir,
      String artifact,
      List<String> externalized,
      long bytesBefore,
      long bytesAfter,
      String idBefore,
      String idAfter) {

    /** Bytes the run saved on disk. */
    public long bytesSaved() {
      return bytesBefore - bytesAfter;
    }
  }

  private Externalizer() {}

  /** {@link #externalize(Path, Path, PinnedArtifacts)} with the default artifact search. */
  public static Report externalize(Path dir, Path baseDir) throws IOException {
    return externalize(dir, baseDir, PinnedArtifacts.defaults());
  }

  /**
   * Rewrites {@code dir} so that its tensors equal to the base's are referenced, not stored.
   *
   * @param dir a model directory (any layout {@link ModelDirectory} loads)
   * @param baseDir an encoder imported by {@code armguard model import --artifact} or {@code --jar}
   *     (it has a {@code source.json} with Maven coordinates)
   * @throws IOException when {@code baseDir} is not such an import, its artifact cannot be found
   *     (the message says how to fetch it) or differs from the one it was imported from
   */
  public static Report externalize(Path dir, Path baseDir, PinnedArtifacts artifacts)
      throws IOException {
    Base base = Base.open(baseDir, artifacts);
    Path weights = dir.resolve(ModelDirectory.WEIGHTS);
    SafetensorsFile file = SafetensorsFile.open(weights);
    ExternalTensors existing = ExternalTensors.read(dir);
    long before = size(weights) + size(dir.resolve(ExternalTensors.FILE));
    String idBefore = ModelDirectory.id(dir);
    Map<String, ExternalTensors.Reference> moved = new LinkedHashMap<>();
    Set<String> dropped = new LinkedHashSet<>();
    for (String name : file.names()) {
      ExternalTensors.Reference already = existing.tensors().get(name);
      if (already != null) {
        dropped.add(name); // left stored by an interrupted run
        continue;
      }
      ExternalTensors.Reference ref = base.referenceIfEqual(name, file);
      if (ref != null) {
        moved.put(name, ref);
        dropped.add(name);
      }
    }
    if (!dropped.isEmpty()) {
      existing.plus(ExternalTensors.of(moved)).write(dir);
      SafetensorsWriter.writeSubset(file, dropped, weights);
    }
    return new Report(
        dir,
        base.source.artifact(),
        List.copyOf(moved.keySet()),
        before,
        size(weights) + size(dir.resolve(ExternalTensors.FILE)),
        idBefore,
        ModelDirectory.id(dir));
  }

  /**
   * References to the base's tensors of the given names, for {@link ModelDirectory#save} with
   * external tensors (e.g. a trainer that knows which tensors it kept frozen).
   *
   * @param names {@code BertModel} names the base holds (e.g. {@code
   *     embeddings.word_embeddings.weight})
   * @throws IllegalArgumentException for a name the base does not hold
   */
  public static ExternalTensors references(
      Path baseDir, Collection<String> names, PinnedArtifacts artifacts) throws IOException {
    Base base = Base.open(baseDir, artifacts);
    Map<String, ExternalTensors.Reference> refs = new LinkedHashMap<>();
    for (String name : names) {
      BertOnnxImport.Origin o = base.origins.get(name);
      if (o == null) {
        throw new IllegalArgumentException(
            baseDir + " (" + base.source.artifact() + ") has no tensor " + name);
      }
      refs.put(name, base.reference(o, o.read(base.onnx).shape()));
    }
    return ExternalTensors.of(refs);
  }

  /** An imported encoder's ONNX source, verified against its source.json. */
  private static final class Base {
    final ImportSource source;
    final OnnxWeights onnx;
    final Map<String, BertOnnxImport.Origin> origins;

    private Base(ImportSource source, OnnxWeights onnx, Map<String, BertOnnxImport.Origin> o) {
      this.source = source;
      this.onnx = onnx;
      this.origins = o;
    }

    static Base open(Path baseDir, PinnedArtifacts artifacts) throws IOException {
      ImportSource source = ImportSource.read(baseDir);
      if (source == null) {
        throw new IOException(
            baseDir
                + " has no "
                + ImportSource.FILE
                + ": not an encoder imported by `armguard model import`");
      }
      if (source.artifact().split(":").length != 3) {
        throw new IOException(
            baseDir
                + " was imported from the file "
                + source.artifact()
                + ", not from a Maven artifact: its weights have no pinned source to reference");
      }
      PinnedArtifacts.Located located = artifacts.read(source.artifact(), source.entry());
      String sha = ExternalTensors.sha256(located.bytes());
      if (!sha.equals(source.onnxSha256())) {
        throw new IOException(
            located.location()
                + " has SHA-256 "
                + sha
                + ", but "
                + baseDir.resolve(ImportSource.FILE)
                + " records "
                + source.onnxSha256()
                + " for "
                + source.artifact()
                + ": not the build the base was imported from");
      }
      OnnxWeights onnx = OnnxWeights.parse(located.bytes());
      return new Base(source, onnx, BertOnnxImport.origins(onnx));
    }

    /**
     * A reference to the base's tensor {@code name} if {@code file} stores exactly it, else null.
     */
    ExternalTensors.Reference referenceIfEqual(String name, SafetensorsFile file)
        throws IOException {
      String bare = name.startsWith("bert.") ? name.substring("bert.".length()) : name;
      BertOnnxImport.Origin o = origins.get(bare);
      if (o == null) {
        return null;
      }
      HostTensor values = o.read(onnx);
      if (!Arrays.equals(values.shape(), file.entry(name).shape())
          || !file.holdsExactly(name, values.data())) {
        return null;
      }
      return reference(o, values.shape());
    }

    ExternalTensors.Reference reference(BertOnnxImport.Origin o, long[] shape) {
      return new ExternalTensors.Reference(
          source.artifact(),
          source.entry(),
          o.initializer(),
          shape,
          ExternalTensors.sha256(onnx.initializers().get(o.initializer()).data()),
          o.transposed());
    }
  }

  private static long size(Path f) throws IOException {
    return Files.exists(f) ? Files.size(f) : 0;
  }
}
