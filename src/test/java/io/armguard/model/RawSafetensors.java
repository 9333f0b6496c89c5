package io.armguard.model;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes safetensors files from Java arrays in any dtype armguard reads (tests only). */
final class RawSafetensors {

  record Tensor(long[] shape, float[] data) {
    Tensor map(java.util.function.UnaryOperator<Float> f) {
      float[] out = new float[data.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = f.apply(data[i]);
      }
      return new Tensor(shape, out);
    }

    Tensor plusOne() {
      return map(v -> v + 1f);
    }
  }

  private RawSafetensors() {}

  static void write(Path file, Map<String, Tensor> tensors, SafetensorsDType dtype)
      throws IOException {
    JsonObject header = new JsonObject();
    long offset = 0;
    for (var e : tensors.entrySet()) {
      JsonObject t = new JsonObject();
      t.addProperty("dtype", dtype.name());
      JsonArray shape = new JsonArray();
      for (long s : e.getValue().shape()) {
        shape.add(s);
      }
      t.add("shape", shape);
      JsonArray off = new JsonArray();
      off.add(offset);
      offset += (long) e.getValue().data().length * dtype.bytes();
      off.add(offset);
      t.add("data_offsets", off);
      header.add(e.getKey(), t);
    }
    byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
      out.write(json);
      for (Tensor t : tensors.values()) {
        ByteBuffer b =
            ByteBuffer.allocate(t.data().length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : t.data()) {
          switch (dtype) {
            case F32 -> b.putFloat(f);
            case F16 -> b.putShort(HalfFloats.floatToHalf(f));
            case BF16 -> b.putShort((short) (Float.floatToRawIntBits(f) >>> 16));
          }
        }
        out.write(b.array());
      }
    }
  }

  /** The value a float has after a BF16 round trip (truncation, as written above). */
  static float bf16(float f) {
    return Float.intBitsToFloat(Float.floatToRawIntBits(f) & 0xffff0000);
  }
}
