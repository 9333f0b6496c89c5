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
   * @param id {@code directoryName@sha256-prefix} of config.json + model.safetensors
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

  /** Loads {@code dir} into {@code manager} (whose device decides where the weights live). */
  public static Loaded load(Path dir, NDManager manager) throws IOException {
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
    Backbone backbone = newBackbone(config);
    Layout layout = Layout.of(config);
    Map<String, String> fileNames = new LinkedHashMap<>();
    List<String> extraNames = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    for (String name : file.names()) {
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
    for (Map.Entry<String, Parameter> p : backbone.namedParameters().entrySet()) {
      String name = fileNames.get(p.getKey());
      if (name == null) {
        missing.add(p.getKey());
      } else {
        // each parameter is created straight from the file: no random init, no second copy
        p.getValue().setInitializer((m, shape, type) -> fromFile(file, name, shape, m));
      }
    }
    if (!missing.isEmpty()) {
      throw new IOException(weights + ": missing backbone tensors " + missing);
    }
    try {
      backbone.initialize(manager, DataType.FLOAT32);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    Map<String, NDArray> extras = new LinkedHashMap<>();
    for (String name : extraNames) {
      extras.put(name, file.toNDArray(name, manager));
    }
    if (!extras.isEmpty()) {
      LOG.debug(
          "{}: tensors outside the {} backbone: {}", dir, config.modelType(), extras.keySet());
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
   * extras} under their own names) and, when given, tokenizer.json. Creates {@code dir} if needed.
   */
  public static void save(
      Path dir,
      Backbone backbone,
      Map<String, NDArray> extras,
      TextTokenizer tokenizer,
      SafetensorsDType dtype)
      throws IOException {
    Files.createDirectories(dir);
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    backbone.namedParameters().forEach((name, p) -> tensors.put(name, p.getArray()));
    for (Map.Entry<String, NDArray> e : extras.entrySet()) {
      if (tensors.put(e.getKey(), e.getValue()) != null) {
        throw new IllegalArgumentException(
            "extra tensor " + e.getKey() + " clashes with the backbone");
      }
    }
    backbone.config().write(dir.resolve(CONFIG));
    SafetensorsWriter.write(dir.resolve(WEIGHTS), tensors, dtype, Map.of("producer", "armguard"));
    if (tokenizer != null) {
      tokenizer.write(dir.resolve(TOKENIZER));
    }
  }

  /**
   * {@code directoryName@} + the first 12 hex digits of sha256(config.json + model.safetensors).
   */
  public static String id(Path dir) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String f : new String[] {CONFIG, WEIGHTS}) {
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
