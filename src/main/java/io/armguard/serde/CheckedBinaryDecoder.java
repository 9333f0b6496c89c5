package io.armguard.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoding of one record body held in memory, stricter than Avro's own decoder in two
 * ways that matter for input from strangers:
 *
 * <ul>
 *   <li>a string (field, map key or value) whose bytes are not valid UTF-8 fails; Avro decodes it
 *       leniently, replacing each bad sequence with U+FFFD, so a prompt or reply would be moderated
 *       and answered as text nobody wrote;
 *   <li>a string, bytes value or map block that claims more than the bytes left in the body fails
 *       before anything is allocated; Avro allocates first (a 14-byte record claiming a 1 GB string
 *       costs a 1 GB allocation) and then meets the end of the data.
 * </ul>
 *
 * Every other call goes to a plain {@link BinaryDecoder}; array block counts are not checked, since
 * an array's items may take no bytes at all (nulls). Failures are {@link IOException}s naming the
 * problem. One instance per body; not thread-safe.
 */
final class CheckedBinaryDecoder extends Decoder {

  private final BinaryDecoder in;

  CheckedBinaryDecoder(byte[] data, int offset, int length) {
    this.in = DecoderFactory.get().binaryDecoder(data, offset, length, null);
  }

  /** Bytes of the body not read yet. */
  int remaining() throws IOException {
    return in.inputStream().available();
  }

  /** Whether the whole body has been read. */
  boolean isEnd() throws IOException {
    return in.isEnd();
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    int length = length("string");
    Utf8 result = old == null ? new Utf8() : old;
    result.setByteLength(length);
    in.readFixed(result.getBytes(), 0, length);
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(result.getBytes(), 0, length));
    } catch (CharacterCodingException e) {
      throw new IOException("a string of " + length + " bytes is not valid UTF-8", e);
    }
    return result;
  }

  @Override
  public String readString() throws IOException {
    return readString(null).toString();
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    int length = length("bytes value");
    // a fresh buffer: reusing old (as Avro does) would need care with its offset and position
    ByteBuffer result = ByteBuffer.allocate(length);
    in.readFixed(result.array(), 0, length);
    return result;
  }

  @Override
  public long readMapStart() throws IOException {
    return entries(in.readMapStart());
  }

  @Override
  public long mapNext() throws IOException {
    return entries(in.mapNext());
  }

  /** A length prefix, checked against what is left before anything is allocated. */
  private int length(String what) throws IOException {
    long length = in.readLong();
    int left = remaining();
    if (length < 0 || length > left) {
      throw new IOException(
          "a " + what + " of " + length + " bytes where " + left + " bytes are left");
    }
    return (int) length;
  }

  /** A map block's entry count: every entry has a key, so each takes at least one byte. */
  private long entries(long count) throws IOException {
    int left = remaining();
    if (count > left) {
      throw new IOException("a map of " + count + " entries where " + left + " bytes are left");
    }
    return count;
  }

  // ---- unchecked: plain delegation

  @Override
  public void readNull() throws IOException {
    in.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return in.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return in.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return in.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return in.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return in.readDouble();
  }

  @Override
  public void skipString() throws IOException {
    in.skipFixed(length("string"));
  }

  @Override
  public void skipBytes() throws IOException {
    in.skipFixed(length("bytes value"));
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    in.readFixed(bytes, start, length);
  }

  @Override
  public void skipFixed(int length) throws IOException {
    in.skipFixed(length);
  }

  @Override
  public int readEnum() throws IOException {
    return in.readEnum();
  }

  @Override
  public long readArrayStart() throws IOException {
    return in.readArrayStart();
  }

  @Override
  public long arrayNext() throws IOException {
    return in.arrayNext();
  }

  @Override
  public long skipArray() throws IOException {
    return in.skipArray();
  }

  @Override
  public long skipMap() throws IOException {
    return in.skipMap();
  }

  @Override
  public int readIndex() throws IOException {
    return in.readIndex();
  }
}
