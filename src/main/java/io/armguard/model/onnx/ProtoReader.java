package io.armguard.model.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over one protobuf message in the wire format (varint, 64-bit, length-delimited and
 * 32-bit fields; groups are rejected). Just enough of protobuf to walk an ONNX {@code ModelProto}
 * without generated classes: the caller reads a tag, then the value its schema says the field
 * holds, or {@link #skip}s it.
 *
 * <p>Length-delimited values are returned as slices of the same buffer, never copied, so a 100 MB
 * model read from a mapped file costs no heap. Not thread-safe (it is a cursor).
 */
final class ProtoReader {

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final ByteBuffer buf;
  private int tag;

  /** Reads the message held in {@code buf}'s remaining bytes (position to limit). */
  ProtoReader(ByteBuffer buf) {
    this.buf = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Advances to the next field; false at the end of the message. */
  boolean next() throws IOException {
    if (!buf.hasRemaining()) {
      return false;
    }
    long t = varint();
    if (t >>> 32 != 0 || (t >>> 3) == 0) {
      throw new IOException("malformed protobuf: tag " + t + " at byte " + buf.position());
    }
    tag = (int) t;
    return true;
  }

  /** Field number of the current field. */
  int field() {
    return tag >>> 3;
  }

  /** Wire type of the current field. */
  int wireType() {
    return tag & 7;
  }

  /** The current field as an unsigned varint (int32/int64/enum/bool fields). */
  long varint() throws IOException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!buf.hasRemaining()) {
        throw new IOException("malformed protobuf: truncated varint");
      }
      byte b = buf.get();
      result |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw new IOException("malformed protobuf: varint longer than 10 bytes");
  }

  /** The current length-delimited field as a slice (position 0, little-endian). */
  ByteBuffer bytes() throws IOException {
    long len = varint();
    if (len < 0 || len > buf.remaining()) {
      throw new IOException(
          "malformed protobuf: length " + len + " exceeds the " + buf.remaining() + " bytes left");
    }
    ByteBuffer out = buf.slice(buf.position(), (int) len).order(ByteOrder.LITTLE_ENDIAN);
    buf.position(buf.position() + (int) len);
    return out;
  }

  /** The current length-delimited field as UTF-8 text. */
  String string() throws IOException {
    ByteBuffer b = bytes();
    byte[] a = new byte[b.remaining()];
    b.get(a);
    return new String(a, StandardCharsets.UTF_8);
  }

  /** The current length-delimited field as an embedded message. */
  ProtoReader message() throws IOException {
    return new ProtoReader(bytes());
  }

  /**
   * Repeated int64 values of the current field, packed (one length-delimited run) or not (one
   * varint per occurrence): protobuf allows both encodings for the same field.
   */
  long[] int64s() throws IOException {
    if (wireType() == VARINT) {
      return new long[] {varint()};
    }
    ProtoReader packed = new ProtoReader(bytes());
    long[] tmp = new long[8];
    int n = 0;
    while (packed.buf.hasRemaining()) {
      if (n == tmp.length) {
        tmp = java.util.Arrays.copyOf(tmp, n * 2);
      }
      tmp[n++] = packed.varint();
    }
    return java.util.Arrays.copyOf(tmp, n);
  }

  /** Skips the current field's value. */
  void skip() throws IOException {
    switch (wireType()) {
      case VARINT -> varint();
      case FIXED64 -> advance(8);
      case LENGTH_DELIMITED -> bytes();
      case FIXED32 -> advance(4);
      default ->
          throw new IOException(
              "malformed protobuf: wire type " + wireType() + " of field " + field());
    }
  }

  /** Fails unless the current field has wire type {@code expected}. */
  void expect(int expected) throws IOException {
    if (wireType() != expected) {
      throw new IOException(
          "malformed protobuf: field "
              + field()
              + " has wire type "
              + wireType()
              + ", expected "
              + expected);
    }
  }

  private void advance(int n) throws IOException {
    if (buf.remaining() < n) {
      throw new IOException("malformed protobuf: truncated fixed-size field");
    }
    buf.position(buf.position() + n);
  }
}
