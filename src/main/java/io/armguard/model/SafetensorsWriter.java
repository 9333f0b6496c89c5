package io.armguard.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Writes tensors to a {@code .safetensors} file (F32 or F16), in the iteration order of the given
 * map, with an 8-byte aligned header. The file is written to a temporary sibling and moved into
 * place, so a reader never sees a half-written file.
 */
public final class SafetensorsWriter {

  private SafetensorsWriter() {}

  /** A tensor held in Java memory: row-major float32 values and their shape. */
  public record HostTensor(float[] data, long[] shape) {
    public HostTensor {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      if (n != data.length) {
        throw new IllegalArgumentException(
            "shape "
                + java.util.Arrays.toString(shape)
                + " needs "
                + n
                + " values, got "
                + data.length);
      }
    }
  }

  /**
   * Writes {@code tensors} (any float dtype; converted to {@code dtype}) with string {@code
   * metadata}.
   */
  public static void write(
      Path file, Map<String, NDArray> tensors, SafetensorsDType dtype, Map<String, String> metadata)
      throws IOException {
    Map<String, Source> sources = new java.util.LinkedHashMap<>();
    tensors.forEach(
        (name, a) ->
            sources.put(name, new Source(a.getShape().getShape(), a.size(), () -> floats(a))));
    writeSources(file, sources, dtype, metadata);
  }

  /** Writes Java-held tensors, exactly as {@link #write} writes NDArrays of the same values. */
  public static void writeHost(
      Path file,
      Map<String, HostTensor> tensors,
      SafetensorsDType dtype,
      Map<String, String> metadata)
      throws IOException {
    Map<String, Source> sources = new java.util.LinkedHashMap<>();
    tensors.forEach(
        (name, t) -> sources.put(name, new Source(t.shape(), t.data().length, t::data)));
    writeSources(file, sources, dtype, metadata);
  }

  /**
   * Writes the tensors of {@code source} except {@code dropped} to {@code file}, each with its own
   * dtype, shape and bytes copied unchanged (no conversion), and the source's metadata. {@code
   * file} may be {@code source}'s own path: the copy goes to a temporary sibling first.
   */
  public static void writeSubset(SafetensorsFile source, java.util.Set<String> dropped, Path file)
      throws IOException {
    JsonObject header = new JsonObject();
    JsonObject meta = new JsonObject();
    source.metadata().forEach(meta::addProperty);
    if (!source.metadata().isEmpty()) {
      header.add("__metadata__", meta);
    }
    java.util.List<SafetensorsFile.Entry> kept = new java.util.ArrayList<>();
    long offset = 0;
    for (String name : source.names()) {
      if (dropped.contains(name)) {
        continue;
      }
      SafetensorsFile.Entry e = source.entry(name);
      long bytes = e.end() - e.begin();
      JsonObject t = new JsonObject();
      t.addProperty("dtype", e.dtype().name());
      JsonArray shape = new JsonArray();
      for (long s : e.shape()) {
        shape.add(s);
      }
      t.add("shape", shape);
      JsonArray offsets = new JsonArray();
      offsets.add(offset);
      offsets.add(offset + bytes);
      t.add("data_offsets", offsets);
      header.add(name, t);
      kept.add(e);
      offset += bytes;
    }
    byte[] json = paddedHeader(header);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (java.nio.channels.FileChannel in =
            java.nio.channels.FileChannel.open(source.path(), StandardOpenOption.READ);
        java.nio.channels.FileChannel out =
            java.nio.channels.FileChannel.open(
                tmp,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer len =
          ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).flip();
      writeFully(out, len);
      writeFully(out, ByteBuffer.wrap(json));
      for (SafetensorsFile.Entry e : kept) {
        long pos = source.dataOffset(e.name());
        long left = e.end() - e.begin();
        while (left > 0) {
          long n = in.transferTo(pos, left, out);
          if (n <= 0) {
            throw new IOException(source.path() + ": unexpected end of file");
          }
          pos += n;
          left -= n;
        }
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writeFully(java.nio.channels.FileChannel out, ByteBuffer b)
      throws IOException {
    while (b.hasRemaining()) {
      out.write(b);
    }
  }

  /** The header's JSON, space-padded to a multiple of 8 bytes (safetensors' alignment). */
  private static byte[] paddedHeader(JsonObject header) {
    byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    byte[] out = java.util.Arrays.copyOf(json, padded);
    java.util.Arrays.fill(out, json.length, padded, (byte) ' ');
    return out;
  }

  /** A tensor's shape and size, with its values fetched only when written. */
  private record Source(long[] shape, long size, java.util.function.Supplier<float[]> values) {}

  private static void writeSources(
      Path file, Map<String, Source> tensors, SafetensorsDType dtype, Map<String, String> metadata)
      throws IOException {
    if (dtype == SafetensorsDType.BF16) {
      throw new IllegalArgumentException("writing BF16 is not supported; use F32 or F16");
    }
    JsonObject header = new JsonObject();
    JsonObject meta = new JsonObject();
    meta.addProperty("format", "pt");
    metadata.forEach(meta::addProperty);
    header.add("__metadata__", meta);
    long offset = 0;
    for (Map.Entry<String, Source> e : tensors.entrySet()) {
      long bytes = e.getValue().size() * dtype.bytes();
      JsonObject t = new JsonObject();
      t.addProperty("dtype", dtype.name());
      JsonArray shape = new JsonArray();
      for (long s : e.getValue().shape()) {
        shape.add(s);
      }
      t.add("shape", shape);
      JsonArray offsets = new JsonArray();
      offsets.add(offset);
      offsets.add(offset + bytes);
      t.add("data_offsets", offsets);
      header.add(e.getKey(), t);
      offset += bytes;
    }
    byte[] json = paddedHeader(header);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length);
      out.write(len.array());
      out.write(json);
      for (Source t : tensors.values()) {
        writeData(out, t.values().get(), dtype);
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static float[] floats(NDArray a) {
    if (a.getDataType() == DataType.FLOAT32) {
      return a.toFloatArray();
    }
    // convert in a scratch manager: toType's result would otherwise stay in a's (long-lived)
    // manager
    try (NDManager scratch = a.getManager().newSubManager()) {
      NDArray f = a.toType(DataType.FLOAT32, true);
      f.attach(scratch);
      return f.toFloatArray();
    }
  }

  private static void writeData(OutputStream out, float[] data, SafetensorsDType dtype)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : data) {
      if (buf.remaining() < 4) {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
      }
      if (dtype == SafetensorsDType.F32) {
        buf.putFloat(f);
      } else {
        buf.putShort(HalfFloats.floatToHalf(f));
      }
    }
    out.write(buf.array(), 0, buf.position());
  }
}
