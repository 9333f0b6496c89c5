package io.armguard.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Read access to a {@code .safetensors} file: the header is parsed on open, tensor data is read on
 * demand. F32, F16 and BF16 tensors are returned as float32; BF16 is widened in Java because a BF16
 * NDArray crashes DJL's PyTorch engine. Writing is {@link SafetensorsWriter}. Immutable after open;
 * reads are thread-safe.
 */
public final class SafetensorsFile {

  /** One tensor's header entry; offsets are relative to the data section. */
  public record Entry(String name, SafetensorsDType dtype, long[] shape, long begin, long end) {

    /** Number of elements. */
    public long size() {
      long n = 1;
      for (long s : shape) {
        n *= s;
      }
      return n;
    }
  }

  private final Path path;
  private final long dataStart;
  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;

  private SafetensorsFile(
      Path path, long dataStart, Map<String, Entry> entries, Map<String, String> metadata) {
    this.path = path;
    this.dataStart = dataStart;
    this.entries = entries;
    this.metadata = metadata;
  }

  /** Parses the header of {@code path}; fails on unsupported dtypes or inconsistent offsets. */
  public static SafetensorsFile open(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, len, 0);
      long headerLen = len.flip().getLong();
      if (headerLen <= 0 || headerLen > 100_000_000L || headerLen + 8 > ch.size()) {
        throw new IOException(path + ": not a safetensors file (header length " + headerLen + ")");
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLen);
      readFully(ch, header, 8);
      JsonObject json =
          JsonParser.parseString(new String(header.array(), StandardCharsets.UTF_8))
              .getAsJsonObject();
      Map<String, Entry> entries = new LinkedHashMap<>();
      Map<String, String> meta = new LinkedHashMap<>();
      long dataSize = ch.size() - 8 - headerLen;
      for (Map.Entry<String, JsonElement> e : json.entrySet()) {
        if (e.getKey().equals("__metadata__")) {
          e.getValue()
              .getAsJsonObject()
              .entrySet()
              .forEach(m -> meta.put(m.getKey(), m.getValue().getAsString()));
          continue;
        }
        Entry entry = parseEntry(path, e.getKey(), e.getValue().getAsJsonObject());
        if (entry.end() > dataSize
            || entry.end() - entry.begin() != entry.size() * entry.dtype().bytes()) {
          throw new IOException(path + ": tensor " + e.getKey() + " has inconsistent data offsets");
        }
        entries.put(e.getKey(), entry);
      }
      return new SafetensorsFile(
          path,
          8 + headerLen,
          Collections.unmodifiableMap(entries),
          Collections.unmodifiableMap(meta));
    }
  }

  private static Entry parseEntry(Path path, String name, JsonObject o) throws IOException {
    String dtype = o.get("dtype").getAsString();
    SafetensorsDType type;
    try {
      type = SafetensorsDType.valueOf(dtype);
    } catch (IllegalArgumentException ex) {
      throw new IOException(
          path + ": tensor " + name + " has dtype " + dtype + " (supported: F32, F16, BF16)");
    }
    var shapeJson = o.getAsJsonArray("shape");
    long[] shape = new long[shapeJson.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeJson.get(i).getAsLong();
    }
    var offsets = o.getAsJsonArray("data_offsets");
    return new Entry(name, type, shape, offsets.get(0).getAsLong(), offsets.get(1).getAsLong());
  }

  public Path path() {
    return path;
  }

  /** Tensor names in header order. */
  public Set<String> names() {
    return entries.keySet();
  }

  /** The header entry of {@code name}, or null. */
  public Entry entry(String name) {
    return entries.get(name);
  }

  /** The {@code __metadata__} string map (empty when absent). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * The tensor's values widened to float32, as a direct native-order buffer ready for {@link
   * NDManager#create(java.nio.Buffer, Shape, DataType)}.
   */
  public ByteBuffer readFloat32(String name) throws IOException {
    Entry e = require(name);
    ByteBuffer raw =
        ByteBuffer.allocateDirect((int) (e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      readFully(ch, raw, dataStart + e.begin());
    }
    raw.flip();
    if (e.dtype() == SafetensorsDType.F32 && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      return raw.order(ByteOrder.nativeOrder());
    }
    int n = (int) e.size();
    ByteBuffer out = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
    for (int i = 0; i < n; i++) {
      switch (e.dtype()) {
        case F32 -> out.putFloat(raw.getFloat());
        case F16 -> out.putFloat(HalfFloats.halfToFloat(raw.getShort()));
        case BF16 -> out.putFloat(HalfFloats.bf16ToFloat(raw.getShort()));
      }
    }
    return out.flip();
  }

  /** The tensor's bytes exactly as stored (its own dtype, little-endian), in a new heap buffer. */
  public ByteBuffer readRaw(String name) throws IOException {
    Entry e = require(name);
    ByteBuffer raw = ByteBuffer.allocate((int) (e.end() - e.begin()));
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      readFully(ch, raw, dataStart + e.begin());
    }
    return raw.flip().order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Whether the stored tensor equals {@code values} (row-major float32) bit for bit once each value
   * is converted to the tensor's stored dtype ({@link SafetensorsDType#storedBits}). False for a
   * different element count.
   */
  public boolean holdsExactly(String name, float[] values) throws IOException {
    Entry e = require(name);
    if (e.size() != values.length) {
      return false;
    }
    ByteBuffer raw = readRaw(name);
    SafetensorsDType t = e.dtype();
    for (float v : values) {
      int stored = t == SafetensorsDType.F32 ? raw.getInt() : raw.getShort() & 0xffff;
      if (stored != t.storedBits(v)) {
        return false;
      }
    }
    return true;
  }

  /** Absolute file offset of the tensor's first byte (for raw copies). */
  long dataOffset(String name) throws IOException {
    return dataStart + require(name).begin();
  }

  /** The tensor's values widened to float32, as a Java array. */
  public float[] readFloats(String name) throws IOException {
    ByteBuffer b = readFloat32(name);
    float[] out = new float[b.remaining() / 4];
    b.asFloatBuffer().get(out);
    return out;
  }

  /** The tensor as a new float32 NDArray in {@code manager}. */
  public NDArray toNDArray(String name, NDManager manager) throws IOException {
    NDArray a =
        manager.create(readFloat32(name), new Shape(require(name).shape()), DataType.FLOAT32);
    a.setName(name);
    return a;
  }

  /** Copies the tensor into an existing float32 array of the same shape (e.g. a parameter). */
  public void copyInto(String name, NDArray target) throws IOException {
    Entry e = require(name);
    if (!Arrays.equals(e.shape(), target.getShape().getShape())) {
      throw new IOException(
          path
              + ": tensor "
              + name
              + " has shape "
              + Arrays.toString(e.shape())
              + ", expected "
              + target.getShape()
              + (e.shape().length == 2 ? " (GPT-2 Conv1D weights are stored [in, out])" : ""));
    }
    target.set(readFloat32(name));
  }

  private Entry require(String name) throws IOException {
    Entry e = entries.get(name);
    if (e == null) {
      throw new IOException(path + ": no tensor named " + name);
    }
    return e;
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += n;
    }
  }
}
