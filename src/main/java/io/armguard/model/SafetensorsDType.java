package io.armguard.model;

/** Element types armguard reads from safetensors files; it writes F32 and F16. */
public enum SafetensorsDType {
  F32(4),
  F16(2),
  /** read only: widened to F32 in Java, since BF16 NDArrays crash DJL's PyTorch engine */
  BF16(2);

  private final int bytes;

  SafetensorsDType(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /**
   * The bits {@code value} is stored as in this type (F32: its raw bits; F16: IEEE binary16, round
   * to nearest even; BF16: the top half after rounding to nearest even), zero-extended to an int.
   * Two tensors are equal <em>as stored</em> when their elements' stored bits are.
   */
  public int storedBits(float value) {
    return switch (this) {
      case F32 -> Float.floatToRawIntBits(value);
      case F16 -> HalfFloats.floatToHalf(value) & 0xffff;
      case BF16 -> HalfFloats.floatToBf16(value) & 0xffff;
    };
  }
}
