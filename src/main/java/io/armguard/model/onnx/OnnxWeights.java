package io.armguard.model.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights and graph topology of an ONNX model file, read straight from the protobuf wire format
 * ({@code ModelProto -> GraphProto -> TensorProto / NodeProto / ValueInfoProto}; field numbers from
 * {@code onnx/onnx.proto}). Only what an importer needs is kept: each initializer's name, element
 * type, dims and data; each node's name, op type, inputs and outputs; the graph's input and output
 * names; the producer. Attributes, shapes of values and metadata are skipped.
 *
 * <p>Tensor data stays in the file's memory mapping (no heap copy) and is decoded on request.
 * Tensors stored outside the file ({@code data_location = EXTERNAL}) are rejected with the tensor's
 * name. Immutable; thread-safe after {@link #read}.
 */
public final class OnnxWeights {

  /** ONNX {@code TensorProto.DataType} codes this reader decodes. */
  public static final int FLOAT = 1;

  public static final int INT64 = 7;

  /**
   * One initializer.
   *
   * @param dataType ONNX element type code ({@link #FLOAT}, {@link #INT64}, ...)
   * @param dims row-major shape; empty for a scalar
   */
  public record Tensor(String name, int dataType, long[] dims, ByteBuffer data) {

    /** Number of elements. */
    public long size() {
      long n = 1;
      for (long d : dims) {
        n *= d;
      }
      return n;
    }

    /** The values of a FLOAT tensor. */
    public float[] floats() throws IOException {
      require(FLOAT, "FLOAT");
      float[] out = new float[(int) size()];
      data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
      return out;
    }

    /** The values of an INT64 tensor. */
    public long[] longs() throws IOException {
      require(INT64, "INT64");
      long[] out = new long[(int) size()];
      data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
      return out;
    }

    private void require(int type, String typeName) throws IOException {
      if (dataType != type) {
        throw new IOException(
            "ONNX tensor " + name + " has data type " + dataType + ", expected " + typeName);
      }
    }
  }

  /**
   * One graph node: {@code outputs = opType(inputs)}.
   *
   * @param value the tensor of a {@code Constant} node's {@code value} attribute, else null
   */
  public record Node(
      String name, String opType, List<String> inputs, List<String> outputs, Tensor value) {}

  private final String producer;
  private final Map<String, Tensor> initializers;
  private final List<Node> nodes;
  private final List<String> inputs;
  private final List<String> outputs;

  private OnnxWeights(
      String producer,
      Map<String, Tensor> initializers,
      List<Node> nodes,
      List<String> inputs,
      List<String> outputs) {
    this.producer = producer;
    this.initializers = Collections.unmodifiableMap(initializers);
    this.nodes = List.copyOf(nodes);
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
  }

  /** Maps and parses {@code file}; fails with the file's name when it is not an ONNX model. */
  public static OnnxWeights read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (ch.size() > Integer.MAX_VALUE) {
        throw new IOException(file + ": ONNX files over 2 GiB are not supported");
      }
      return parse(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()));
    } catch (IOException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Parses a serialized {@code ModelProto} held in {@code model}'s remaining bytes. */
  public static OnnxWeights parse(ByteBuffer model) throws IOException {
    ProtoReader r = new ProtoReader(model);
    String producer = "";
    ProtoReader graph = null;
    while (r.next()) {
      switch (r.field()) {
        case 2 -> producer = r.string(); // producer_name
        case 7 -> graph = r.message(); // graph
        default -> r.skip();
      }
    }
    if (graph == null) {
      throw new IOException("not an ONNX model: no graph (ModelProto field 7)");
    }
    Map<String, Tensor> inits = new LinkedHashMap<>();
    List<Node> nodes = new ArrayList<>();
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    while (graph.next()) {
      switch (graph.field()) {
        case 1 -> nodes.add(node(graph.message()));
        case 5 -> {
          Tensor t = tensor(graph.message());
          if (inits.put(t.name(), t) != null) {
            throw new IOException("ONNX graph has two initializers named " + t.name());
          }
        }
        case 11 -> inputs.add(valueName(graph.message()));
        case 12 -> outputs.add(valueName(graph.message()));
        default -> graph.skip();
      }
    }
    return new OnnxWeights(producer, inits, nodes, inputs, outputs);
  }

  private static Node node(ProtoReader r) throws IOException {
    List<String> in = new ArrayList<>();
    List<String> out = new ArrayList<>();
    String name = "";
    String op = "";
    Tensor value = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> in.add(r.string());
        case 2 -> out.add(r.string());
        case 3 -> name = r.string();
        case 4 -> op = r.string();
        case 5 -> value = attributeTensor(r.message(), "value", value);
        default -> r.skip();
      }
    }
    return new Node(name, op, in, out, op.equals("Constant") ? value : null);
  }

  /**
   * The tensor ({@code AttributeProto.t}) of the attribute called {@code wanted}, else {@code
   * dflt}.
   */
  private static Tensor attributeTensor(ProtoReader r, String wanted, Tensor dflt)
      throws IOException {
    String name = "";
    Tensor t = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> name = r.string();
        case 5 -> t = tensor(r.message());
        default -> r.skip();
      }
    }
    return name.equals(wanted) && t != null ? t : dflt;
  }

  private static Tensor tensor(ProtoReader r) throws IOException {
    long[] dims = new long[0];
    int type = 0;
    String name = "";
    ByteBuffer raw = null;
    ByteArrayList floatData = new ByteArrayList();
    ByteArrayList int64Data = new ByteArrayList();
    boolean external = false;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> dims = concat(dims, r.int64s());
        case 2 -> type = (int) r.varint();
        case 4 -> floatData.addFloats(r); // float_data, packed or not
        case 7 -> int64Data.addLongs(r.int64s()); // int64_data
        case 8 -> name = r.string();
        case 9 -> raw = r.bytes();
        case 14 -> external = r.varint() == 1; // data_location EXTERNAL
        default -> r.skip();
      }
    }
    if (external) {
      throw new IOException(
          "ONNX tensor " + name + " is stored in an external file (not supported)");
    }
    ByteBuffer data =
        raw != null
            ? raw
            : type == FLOAT ? floatData.toBuffer() : type == INT64 ? int64Data.toBuffer() : null;
    if (data == null) {
      data = ByteBuffer.allocate(0);
    }
    Tensor t = new Tensor(name, type, dims, data.order(ByteOrder.LITTLE_ENDIAN));
    int width = type == FLOAT ? 4 : type == INT64 ? 8 : 0;
    if (width > 0 && data.remaining() != t.size() * width) {
      throw new IOException(
          "ONNX tensor "
              + name
              + " holds "
              + data.remaining()
              + " bytes for "
              + t.size()
              + " elements of "
              + width
              + " bytes");
    }
    return t;
  }

  private static String valueName(ProtoReader r) throws IOException {
    String name = "";
    while (r.next()) {
      if (r.field() == 1) {
        name = r.string();
      } else {
        r.skip();
      }
    }
    return name;
  }

  private static long[] concat(long[] a, long[] b) {
    long[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Little-endian bytes collected from repeated numeric fields. */
  private static final class ByteArrayList {
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

    void addFloats(ProtoReader r) throws IOException {
      if (r.wireType() == ProtoReader.FIXED32) {
        throw new IOException("unpacked float_data is not supported; expected packed floats");
      }
      r.expect(ProtoReader.LENGTH_DELIMITED);
      ByteBuffer b = r.bytes();
      byte[] a = new byte[b.remaining()];
      b.get(a);
      out.writeBytes(a);
    }

    void addLongs(long[] values) {
      ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
      for (long v : values) {
        b.putLong(v);
      }
      out.writeBytes(b.array());
    }

    ByteBuffer toBuffer() {
      return out.size() == 0 ? null : ByteBuffer.wrap(out.toByteArray());
    }
  }

  /** {@code producer_name} of the model (e.g. {@code pytorch}), or empty. */
  public String producer() {
    return producer;
  }

  /** Initializers by name, in file order. */
  public Map<String, Tensor> initializers() {
    return initializers;
  }

  /** Nodes in graph order. */
  public List<Node> nodes() {
    return nodes;
  }

  /** Names of the graph's inputs (some exporters list initializers here too). */
  public List<String> inputs() {
    return inputs;
  }

  /** Names of the graph's outputs. */
  public List<String> outputs() {
    return outputs;
  }
}
