package io.armguard.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and saves model directories as Hugging Face writes them: {@code config.json}, {@code
 * model.safetensors} (F32, F16 or BF16; BF16 widened in Java), {@code tokenizer.json}. The config's
 * {@code model_type} picks the backbone: {@code gpt2} ({@link GptBackbone}) or {@code bert} ({@link
 * BertBackbone}).
 *
 * <p>GPT-2: tensor names may carry GPT2LMHeadModel's {@code transformer.} prefix or not; GPT-2's
 * causal mask buffers ({@code h.N.attn.bias}, {@code masked_bias}) and the tied {@code
 * lm_head.weight} are ignored. BERT: names may carry the {@code bert.} prefix of {@code BertFor*}
 * models; the {@code embeddings.position_ids} buffer, the pooler ({@code pooler.*}) and
 * pretraining/LM heads ({@code cls.*}) are ignored, since armguard reads hidden states and ties its
 * LM head to the word embeddings. Any other tensor is an extra (e.g. a reward head, {@code
 * rad_head.weight}): it is returned by name and logged, never dropped silently. Missing backbone
 * tensors fail the load with their names. Saving writes the names without prefix, as {@code
 * GPT2Model} / {@code BertModel} checkpoints do.
 *
 * <p>A directory may also hold {@code external.json} ({@link ExternalTensors}): tensors that are
 * not in model.safetensors but in a pinned Maven artifact (e.g. an imported encoder's frozen word
 * embedding). Loading materialises them, SHA-256-verified, as the source's float32 values; to every
 * caller they are tensors like any other. A directory that uses them does not load in {@code
 * transformers} as it is.
 */
public final class ModelDirectory {

  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";
  public static final String TOKENIZER = "tokenizer.json";

  private static final Logger LOG = LoggerFactory.getLogger(ModelDirectory.class);

  /** How one architecture's checkpoints name what armguard does not load. */
  private record Layout(String prefix, Pattern ignored) {
    static Layout of(BackboneConfig config) {
      return switch (config.modelType()) {
        case "bert" ->
            new Layout("bert.", Pattern.compile("embeddings\\.position_ids|pooler\\..*|cls\\..*"));
        default ->
            new Layout(
                "transformer.",
                Pattern.compile("(h\\.\\d+\\.attn\\.(bias|masked_bias))|lm_head\\.weight"));
      };
    }
  }

  private ModelDirectory() {}

  /**
   * A loaded directory. The backbone's parameters and the extras live in the manager given to
   * {@link #load}; close that manager (or the tokenizer) to free them.
   *
   * @param extras tensors that are not part of the backbone, by their name in the file, float32
   * @param tokenizer null when the directory has no tokenizer.json
   * @param id {@code directoryName@sha256-prefix} of config.json + model.safetensors (+
   *     external.json when present), see {@link ModelDirectory#id}
   */
  public record Loaded(
      BackboneConfig config,
      Backbone backbone,
      Map<String, NDArray> extras,
      TextTokenizer tokenizer,
      String id) {

    /** The backbone with its tied LM head (see {@link CausalLm}). */
    public CausalLm lm() {
      return new CausalLm(backbone);
    }
  }

  /**
   * Loads {@code dir} into {@code manager} (whose device decides where the weights live); external
   * tensors are found by {@link PinnedArtifacts#defaults()}.
   */
  public static Loaded load(Path dir, NDManager manager) throws IOException {
    return load(dir, manager, PinnedArtifacts.defaults());
  }

  /**
   * Loads {@code dir} into {@code manager}, reading the tensors its {@code external.json} lists
   * from {@code artifacts}.
   *
   * @throws IOException when a file is missing or malformed, a backbone tensor is missing or has
   *     the wrong shape, a tensor is both stored and external, or an external tensor's source is
   *     missing or fails its SHA-256 check
   */
  public static Loaded load(Path dir, NDManager manager, PinnedArtifacts artifacts)
      throws IOException {
    BackboneConfig config = BackboneConfig.read(dir.resolve(CONFIG));
    Path weights = dir.resolve(WEIGHTS);
    if (!Files.exists(weights)) {
      throw new IOException(
          dir
              + " has no "
              + WEIGHTS
              + " (pytorch_model.bin and sharded checkpoints are not supported: save as one"
              + " safetensors file)");
    }
    SafetensorsFile file = SafetensorsFile.open(weights);
    ExternalTensors external = ExternalTensors.read(dir);
    List<String> both =
        external.tensors().keySet().stream().filter(file.names()::contains).toList();
    if (!both.isEmpty()) {
      throw new IOException(
          dir
              + ": tensors "
              + both
              + " are both in "
              + WEIGHTS
              + " and in "
              + ExternalTensors.FILE
              + " (an interrupted `model externalize`? run it again)");
    }
    List<String> allNames = new ArrayList<>(file.names());
    allNames.addAll(external.tensors().keySet());
    Backbone backbone = newBackbone(config);
    Layout layout = Layout.of(config);
    Map<String, String> fileNames = new LinkedHashMap<>();
    List<String> extraNames = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    for (String name : allNames) {
      String bare =
          name.startsWith(layout.prefix()) ? name.substring(layout.prefix().length()) : name;
      if (layout.ignored().matcher(bare).matches()) {
        ignored.add(name);
        continue;
      }
      if (backbone.namedParameters().containsKey(bare)) {
        if (fileNames.put(bare, name) != null) {
          throw new IOException(dir + ": tensor " + bare + " appears with and without prefix");
        }
      } else {
        extraNames.add(name);
      }
    }
    List<String> missing = new ArrayList<>();
    for (String bare : backbone.namedParameters().keySet()) {
      if (!fileNames.containsKey(bare)) {
        missing.add(bare);
      }
    }
    if (!missing.isEmpty()) {
      throw new IOException(weights + ": missing backbone tensors " + missing);
    }
    Map<String, NDArray> materialised = external.materialise(manager, artifacts);
    for (String name : ignored) {
      NDArray unused = materialised.remove(name);
      if (unused != null) {
        unused.close();
      }
    }
    for (Map.Entry<String, Parameter> p : backbone.namedParameters().entrySet()) {
      String name = fileNames.get(p.getKey());
      NDArray ext = materialised.get(name);
      // each parameter is created straight from its source: no random init, no second copy
      p.getValue()
          .setInitializer(
              (m, shape, type) ->
                  ext != null
                      ? checkedShape(dir, name, ext, shape)
                      : fromFile(file, name, shape, m));
    }
    try {
      backbone.initialize(manager, DataType.FLOAT32);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    Map<String, NDArray> extras = new LinkedHashMap<>();
    for (String name : extraNames) {
      NDArray ext = materialised.get(name);
      extras.put(name, ext != null ? ext : file.toNDArray(name, manager));
    }
    if (!extras.isEmpty()) {
      LOG.debug(
          "{}: tensors outside the {} backbone: {}", dir, config.modelType(), extras.keySet());
    }
    if (!external.isEmpty()) {
      LOG.info(
          "{}: {} tensors ({} bytes as F32) read from {} as {} lists them, SHA-256 verified",
          dir,
          external.tensors().size(),
          external.float32Bytes(),
          external.tensors().values().stream()
              .map(r -> r.artifact() + "!/" + r.entry())
              .distinct()
              .toList(),
          ExternalTensors.FILE);
    }
    if (!ignored.isEmpty() && config.modelType().equals("bert")) {
      LOG.info("{}: not loaded (unused by armguard): {}", dir, ignored);
    }
    Path tok = dir.resolve(TOKENIZER);
    TextTokenizer tokenizer = Files.exists(tok) ? TextTokenizer.load(tok) : null;
    if (tokenizer != null && tokenizer.vocabSize() > config.vocabSize()) {
      throw new IOException(
          dir
              + ": tokenizer has "
              + tokenizer.vocabSize()
              + " ids, model only "
              + config.vocabSize());
    }
    return new Loaded(config, backbone, extras, tokenizer, id(dir));
  }

  private static NDArray checkedShape(Path dir, String name, NDArray a, Shape shape) {
    if (!a.getShape().equals(shape)) {
      throw new UncheckedIOException(
          new IOException(
              dir.resolve(ExternalTensors.FILE)
                  + ": tensor "
                  + name
                  + " has shape "
                  + a.getShape()
                  + ", expected "
                  + shape));
    }
    return a;
  }

  /**
   * A causal copy of the first {@code layers} layers of {@code pretrained} (embeddings and, for
   * GPT-2, the final layer norm included; every tensor copied, the source is not modified). A
   * bidirectional BERT becomes causal ({@code is_decoder: true}): reward models and LMs started
   * from an encoder score every prefix and step with a KV cache.
   *
   * @param layers 1..pretrained's layer count
   * @param manager where the copies live
   */
  public static Backbone causalCopy(Backbone pretrained, int layers, NDManager manager) {
    BackboneConfig c = pretrained.config();
    if (layers < 1 || layers > c.layerCount()) {
      throw new IllegalArgumentException(
          "layers must be in 1.." + c.layerCount() + ", got " + layers);
    }
    return copy(pretrained, c.withLayers(layers).asCausal(), manager);
  }

  /** A backbone of {@code config}'s architecture, parameters not yet initialised. */
  public static Backbone newBackbone(BackboneConfig config) {
    if (config instanceof GptConfig g) {
      return new GptBackbone(g);
    }
    if (config instanceof BertConfig b) {
      return new BertBackbone(b);
    }
    throw new IllegalArgumentException("no backbone for " + config.getClass().getName());
  }

  /**
   * A new backbone of {@code config} whose parameters are copies of {@code source}'s parameters of
   * the same names, in {@code manager}: e.g. the first layers of a model ({@link
   * BackboneConfig#withLayers}) or a BERT made causal ({@link BackboneConfig#asCausal}). {@code
   * source} is not modified and may be closed afterwards.
   *
   * @throws IllegalArgumentException when {@code config} names a parameter {@code source} lacks
   */
  public static Backbone copy(Backbone source, BackboneConfig config, NDManager manager) {
    Backbone target = newBackbone(config);
    Map<String, Parameter> from = source.namedParameters();
    for (Map.Entry<String, Parameter> p : target.namedParameters().entrySet()) {
      Parameter src = from.get(p.getKey());
      if (src == null) {
        throw new IllegalArgumentException("source backbone has no parameter " + p.getKey());
      }
      NDArray copy = src.getArray().duplicate();
      copy.attach(manager);
      p.getValue().setInitializer((m, shape, type) -> copy);
    }
    target.initialize(manager, DataType.FLOAT32);
    return target;
  }

  private static NDArray fromFile(SafetensorsFile file, String name, Shape shape, NDManager m) {
    try {
      SafetensorsFile.Entry e = file.entry(name);
      if (!shape.equals(new Shape(e.shape()))) {
        throw new IOException(
            file.path()
                + ": tensor "
                + name
                + " has shape "
                + new Shape(e.shape())
                + ", expected "
                + shape
                + (shape.dimension() == 2
                    ? " (GPT-2 Conv1D weights are stored [in, out], BERT Linear weights [out, in])"
                    : ""));
      }
      return file.toNDArray(name, m);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /**
   * Writes config.json and model.safetensors (backbone under its Hugging Face names, then {@code
   * extras} under their own names) and, when given, tokenizer.json. Creates {@code dir} if needed
   * and removes an {@code external.json} left there by an earlier save.
   */
  public static void save(
      Path dir,
      Backbone backbone,
      Map<String, NDArray> extras,
      TextTokenizer tokenizer,
      SafetensorsDType dtype)
      throws IOException {
    save(dir, backbone, extras, tokenizer, dtype, ExternalTensors.none(), null);
  }

  /**
   * As {@link #save(Path, Backbone, Map, TextTokenizer, SafetensorsDType)}, but the tensors {@code
   * external} names are written to {@code external.json} as references instead of data. Each is
   * first checked against its source (found by {@code artifacts}): it must equal the source bit for
   * bit in {@code dtype}, so a reference never stands for weights that moved (a trained tensor,
   * say, that was meant to stay frozen). A directory loads the referenced tensors as the source's
   * float32 values; when {@code dtype} is F16 that is more precise than the F16 copy it replaces.
   *
   * @param external references by tensor name (as written: unprefixed backbone names or extras)
   * @param artifacts where the sources are found; null for {@link PinnedArtifacts#defaults()}
   * @throws IllegalArgumentException when a referenced name is not a tensor of the model or its
   *     values differ from the source
   * @throws IOException when a source is missing or fails its SHA-256 check
   */
  public static void save(
      Path dir,
      Backbone backbone,
      Map<String, NDArray> extras,
      TextTokenizer tokenizer,
      SafetensorsDType dtype,
      ExternalTensors external,
      PinnedArtifacts artifacts)
      throws IOException {
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    backbone.namedParameters().forEach((name, p) -> tensors.put(name, p.getArray()));
    for (Map.Entry<String, NDArray> e : extras.entrySet()) {
      if (tensors.put(e.getKey(), e.getValue()) != null) {
        throw new IllegalArgumentException(
            "extra tensor " + e.getKey() + " clashes with the backbone");
      }
    }
    if (!external.isEmpty()) {
      requireEqualToSources(
          tensors, external, dtype, artifacts == null ? PinnedArtifacts.defaults() : artifacts);
      tensors.keySet().removeAll(external.tensors().keySet());
    }
    Files.createDirectories(dir);
    backbone.config().write(dir.resolve(CONFIG));
    SafetensorsWriter.write(dir.resolve(WEIGHTS), tensors, dtype, Map.of("producer", "armguard"));
    external.write(dir); // or removes a stale one
    if (tokenizer != null) {
      tokenizer.write(dir.resolve(TOKENIZER));
    }
  }

  private static void requireEqualToSources(
      Map<String, NDArray> tensors,
      ExternalTensors external,
      SafetensorsDType dtype,
      PinnedArtifacts artifacts)
      throws IOException {
    List<String> unknown =
        external.tensors().keySet().stream().filter(n -> !tensors.containsKey(n)).toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "external references " + unknown + " name no tensor of the model");
    }
    NDManager any = tensors.values().iterator().next().getManager();
    try (NDManager scratch = any.newSubManager(ai.djl.Device.cpu())) {
      Map<String, NDArray> sources = external.materialise(scratch, artifacts);
      for (Map.Entry<String, NDArray> e : sources.entrySet()) {
        NDArray mine = tensors.get(e.getKey());
        if (!mine.getShape().equals(e.getValue().getShape())
            || !sameAsStored(floats(mine, scratch), e.getValue().toFloatArray(), dtype)) {
          throw new IllegalArgumentException(
              "tensor "
                  + e.getKey()
                  + " differs from its external source "
                  + external.tensors().get(e.getKey())
                  + " in "
                  + dtype
                  + ": store it, do not reference it");
        }
      }
    }
  }

  private static float[] floats(NDArray a, NDManager scratch) {
    if (a.getDataType() == DataType.FLOAT32) {
      return a.toFloatArray(); // copies to the host from any device
    }
    NDArray f = a.toType(DataType.FLOAT32, true);
    f.attach(scratch);
    return f.toFloatArray();
  }

  /** Whether {@code a} and {@code b} are stored as the same bits in {@code dtype}. */
  static boolean sameAsStored(float[] a, float[] b, SafetensorsDType dtype) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (dtype.storedBits(a[i]) != dtype.storedBits(b[i])) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code directoryName@} + the first 12 hex digits of sha256(config.json + model.safetensors +
   * external.json). external.json is hashed only when present, so directories without one keep the
   * ids they always had; it pins each external tensor by SHA-256, so the id covers every weight the
   * directory loads, and it does not depend on where the sources are found. Rewriting a directory
   * by {@code model externalize} changes its id (its files change).
   */
  public static String id(Path dir) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      List<String> files = new ArrayList<>(List.of(CONFIG, WEIGHTS));
      if (Files.exists(dir.resolve(ExternalTensors.FILE))) {
        files.add(ExternalTensors.FILE);
      }
      for (String f : files) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(dir.resolve(f)), md)) {
          in.transferTo(OutputStreamSink.INSTANCE);
        }
      }
      Path name = dir.toAbsolutePath().normalize().getFileName();
      return (name == null ? "model" : name.toString())
          + "@"
          + HexFormat.of().formatHex(md.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Discards bytes (digesting is done by the input stream). */
  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
