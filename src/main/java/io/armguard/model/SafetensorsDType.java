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
}
