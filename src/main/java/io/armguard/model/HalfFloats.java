package io.armguard.model;

/** IEEE fp16 and bfloat16 conversions done in Java (DJL's BF16 arrays crash the JVM). */
final class HalfFloats {

  private HalfFloats() {}

  /** bfloat16 bits to float: the top 16 bits of an fp32. */
  static float bf16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /** Float to bfloat16 bits, round to nearest even; NaN stays a quiet NaN. */
  static short floatToBf16(float f) {
    int x = Float.floatToRawIntBits(f);
    if (Float.isNaN(f)) {
      return (short) ((x >>> 16) | 0x40);
    }
    return (short) ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16);
  }

  /** IEEE binary16 bits to float (exact). */
  static float halfToFloat(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0x1f) { // inf / nan
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      if (mant == 0) {
        return Float.intBitsToFloat(sign);
      }
      // subnormal half: mant * 2^-24
      float f = mant * 0x1p-24f;
      return sign == 0 ? f : -f;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** Float to IEEE binary16 bits, round to nearest even; overflow gives infinity. */
  static short floatToHalf(float f) {
    int x = Float.floatToRawIntBits(f);
    int sign = (x >>> 16) & 0x8000;
    int exp = (x >>> 23) & 0xff;
    int mant = x & 0x7fffff;
    if (exp == 0xff) {
      return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
    }
    int e = exp - 127 + 15;
    if (e >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (e <= 0) {
      if (e < -10) {
        return (short) sign;
      }
      // subnormal: shift the implicit-1 mantissa into place, rounding to nearest even
      int m = mant | 0x800000;
      int shift = 14 - e;
      int half = m >>> shift;
      int rem = m & ((1 << shift) - 1);
      int mid = 1 << (shift - 1);
      if (rem > mid || (rem == mid && (half & 1) == 1)) {
        half++;
      }
      return (short) (sign | half);
    }
    int half = (e << 10) | (mant >>> 13);
    int rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (half & 1) == 1)) {
      half++; // may carry into the exponent, which is the right rounding
    }
    return (short) (sign | half);
  }
}
