package io.armguard.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ONNX reader on hand-encoded protobuf messages: both encodings of repeated fields, raw and
 * typed tensor data, Constant node values, unknown fields skipped, and malformed input rejected.
 */
class OnnxWeightsTest {

  /** A minimal protobuf encoder for building test messages. */
  static final class Proto {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long v) {
      tag(field, 0);
      raw(v);
      return this;
    }

    Proto bytes(int field, byte[] b) {
      tag(field, 2);
      raw(b.length);
      out.writeBytes(b);
      return this;
    }

    Proto string(int field, String s) {
      return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    Proto message(int field, Proto m) {
      return bytes(field, m.out.toByteArray());
    }

    Proto fixed32(int field, int v) {
      tag(field, 5);
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
      return this;
    }

    Proto packedVarints(int field, long... vs) {
      Proto p = new Proto();
      for (long v : vs) {
        p.raw(v);
      }
      return bytes(field, p.out.toByteArray());
    }

    private void tag(int field, int wire) {
      raw(((long) field << 3) | wire);
    }

    private void raw(long v) {
      while ((v & ~0x7fL) != 0) {
        out.write((int) ((v & 0x7f) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    ByteBuffer buffer() {
      return ByteBuffer.wrap(out.toByteArray());
    }
  }

  static byte[] floatsLe(float... fs) {
    ByteBuffer b = ByteBuffer.allocate(fs.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : fs) {
      b.putFloat(f);
    }
    return b.array();
  }

  @Test
  void readsInitializersNodesAndGraphIo() throws IOException {
    Proto raw =
        new Proto()
            .varint(1, 2) // dims unpacked
            .varint(1, 3)
            .varint(2, OnnxWeights.FLOAT)
            .string(8, "w")
            .bytes(9, floatsLe(1, 2, 3, 4, 5, 6));
    Proto typed =
        new Proto()
            .packedVarints(1, 2) // dims packed
            .varint(2, OnnxWeights.INT64)
            .packedVarints(7, 7, 300) // int64_data
            .string(8, "ids");
    Proto packedFloats =
        new Proto()
            .packedVarints(1, 2)
            .varint(2, OnnxWeights.FLOAT)
            .bytes(4, floatsLe(-1.5f, 0.25f))
            .string(8, "f");
    Proto constant =
        new Proto()
            .string(2, "c_out")
            .string(3, "/c")
            .string(4, "Constant")
            .message(
                5,
                new Proto()
                    .string(1, "value")
                    .message(5, new Proto().varint(2, 1).bytes(9, floatsLe(1e-12f))));
    Proto matmul =
        new Proto()
            .string(1, "x")
            .string(1, "w")
            .string(2, "y")
            .string(3, "/mm")
            .string(4, "MatMul");
    Proto graph =
        new Proto()
            .message(1, constant)
            .message(1, matmul)
            .string(2, "g")
            .message(5, raw)
            .message(5, typed)
            .message(5, packedFloats)
            .message(11, new Proto().string(1, "x"))
            .message(12, new Proto().string(1, "y"))
            .fixed32(99, 12345); // unknown field: skipped
    Proto model = new Proto().varint(1, 8).string(2, "pytorch").message(7, graph);

    OnnxWeights w = OnnxWeights.parse(model.buffer());
    assertEquals("pytorch", w.producer());
    assertEquals(List.of("w", "ids", "f"), List.copyOf(w.initializers().keySet()));
    assertArrayEquals(new long[] {2, 3}, w.initializers().get("w").dims());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, w.initializers().get("w").floats());
    assertArrayEquals(new long[] {7, 300}, w.initializers().get("ids").longs());
    assertArrayEquals(new float[] {-1.5f, 0.25f}, w.initializers().get("f").floats());
    assertEquals(List.of("x"), w.inputs());
    assertEquals(List.of("y"), w.outputs());
    assertEquals(2, w.nodes().size());
    assertEquals(1e-12f, w.nodes().get(0).value().floats()[0]);
    assertNull(w.nodes().get(1).value());
    assertEquals(List.of("x", "w"), w.nodes().get(1).inputs());
    assertThrows(IOException.class, () -> w.initializers().get("w").longs());
  }

  @Test
  void rejectsTruncatedAndInconsistentInput() {
    Proto tensor =
        new Proto()
            .varint(1, 4)
            .varint(2, OnnxWeights.FLOAT)
            .string(8, "w")
            .bytes(9, floatsLe(1, 2));
    Proto model = new Proto().message(7, new Proto().message(5, tensor));
    IOException e = assertThrows(IOException.class, () -> OnnxWeights.parse(model.buffer()));
    assertTrue(e.getMessage().contains("w holds 8 bytes for 4 elements"), e.getMessage());

    byte[] whole = new Proto().message(7, new Proto().string(2, "graph")).out.toByteArray();
    ByteBuffer cut = ByteBuffer.wrap(whole, 0, whole.length - 2);
    assertThrows(IOException.class, () -> OnnxWeights.parse(cut));
    assertThrows(
        IOException.class, () -> OnnxWeights.parse(new Proto().string(2, "no graph").buffer()));
    Proto external = new Proto().varint(2, OnnxWeights.FLOAT).string(8, "big").varint(14, 1);
    IOException ext =
        assertThrows(
            IOException.class,
            () ->
                OnnxWeights.parse(
                    new Proto().message(7, new Proto().message(5, external)).buffer()));
    assertTrue(ext.getMessage().contains("external"), ext.getMessage());
  }

  @Test
  void aGraphThatIsNotBertIsRejectedByName() {
    Proto w =
        new Proto()
            .varint(1, 2)
            .varint(1, 2)
            .varint(2, OnnxWeights.FLOAT)
            .string(8, "onnx::MatMul_1")
            .bytes(9, floatsLe(1, 2, 3, 4));
    Proto node =
        new Proto()
            .string(1, "x")
            .string(1, "onnx::MatMul_1")
            .string(2, "y")
            .string(3, "/decoder/block.0/mlp/MatMul")
            .string(4, "MatMul");
    Proto model = new Proto().message(7, new Proto().message(1, node).message(5, w));
    IOException e =
        assertThrows(
            IOException.class,
            () -> BertOnnxImport.convert(OnnxWeights.parse(model.buffer()), null, 0, 1, 2));
    assertTrue(e.getMessage().startsWith("not a BERT encoder"), e.getMessage());
    assertTrue(e.getMessage().contains("/decoder/block.0/mlp/MatMul"), e.getMessage());
  }
}
