package io.armguard.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** The decoder's checks, one Avro primitive at a time. */
class CheckedBinaryDecoderTest {

  @FunctionalInterface
  interface Writes {
    void to(BinaryEncoder e) throws IOException;
  }

  private static byte[] encoded(Writes w) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder e = EncoderFactory.get().binaryEncoder(bytes, null);
    w.to(e);
    e.flush();
    return bytes.toByteArray();
  }

  private static CheckedBinaryDecoder over(byte[] data) {
    return new CheckedBinaryDecoder(data, 0, data.length);
  }

  @Test
  void validValuesReadAsAvroWroteThem() throws IOException {
    byte[] data =
        encoded(
            e -> {
              e.writeString("héllo 你好 \uD83D\uDE00");
              e.writeBytes(new byte[] {(byte) 0xFF, 0, 1});
              e.writeMapStart();
              e.setItemCount(1);
              e.startItem();
              e.writeString("k");
              e.writeLong(7);
              e.writeMapEnd();
            });
    CheckedBinaryDecoder d = over(data);
    assertEquals("héllo 你好 \uD83D\uDE00", d.readString());
    ByteBuffer b = d.readBytes(null);
    assertArrayEquals(new byte[] {(byte) 0xFF, 0, 1}, java.util.Arrays.copyOf(b.array(), 3));
    assertEquals(3, b.remaining(), "bytes are not text: no UTF-8 check");
    assertEquals(1, d.readMapStart());
    assertEquals("k", d.readString());
    assertEquals(7, d.readLong());
    assertEquals(0, d.mapNext());
    assertTrue(d.isEnd());
  }

  @Test
  void invalidUtf8IsRefusedWhereAvroWouldReplaceIt() throws IOException {
    byte[] data = encoded(e -> e.writeBytes(new byte[] {'o', 'k', (byte) 0xC3, '('}));
    IOException e = assertThrows(IOException.class, () -> over(data).readString());
    assertEquals("a string of 4 bytes is not valid UTF-8", e.getMessage());
    assertEquals(
        "ok" + '\uFFFD' + "(", new String(data, 1, 4, java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void lengthsAndCountsBeyondTheBodyAreRefusedBeforeAllocating() throws IOException {
    byte[] string = encoded(e -> e.writeLong(Integer.MAX_VALUE)); // a 2 GB string, no bytes
    assertEquals(
        "a string of 2147483647 bytes where 0 bytes are left",
        assertThrows(IOException.class, () -> over(string).readString()).getMessage());
    assertThrows(IOException.class, () -> over(string).skipString());
    byte[] bytes = encoded(e -> e.writeLong(3)); // 3 bytes claimed, none follow
    assertEquals(
        "a bytes value of 3 bytes where 0 bytes are left",
        assertThrows(IOException.class, () -> over(bytes).readBytes(null)).getMessage());
    byte[] negative = encoded(e -> e.writeLong(-1));
    assertThrows(IOException.class, () -> over(negative).readString());
    byte[] map = encoded(e -> e.writeLong(1_000_000_000)); // a map block of 1e9 entries
    assertEquals(
        "a map of 1000000000 entries where 0 bytes are left",
        assertThrows(IOException.class, () -> over(map).readMapStart()).getMessage());
  }
}
