package io.armguard.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bge-small ONNX model from its Maven artifact runs offline (surefire sets ai.djl.offline). */
class BgeSmallEncoderTest {
  @Test
  void embedsOfflineToNormalisedVectorsThatReflectMeaning() {
    SentenceEncoder encoder = BgeSmallEncoder.load();
    float[][] v =
        encoder.embed(
            List.of(
                "You are a kind and lovely friend.",
                "You are a kind and lovely friend.",
                "What a wonderful, gentle person you are.",
                "The invoice is due on Monday.",
                ""),
            n -> {});
    assertEquals(384, encoder.dimension());
    assertArrayEquals(v[0], v[1]);
    assertEquals(1.0, dot(v[0], v[0]), 1e-3);
    assertTrue(dot(v[0], v[2]) > dot(v[0], v[3]) + 0.05, "similar sentences are closer");
    assertEquals(384, v[4].length);
  }

  @Test
  void refusesAnOnnxFileWithAnotherChecksum() {
    String actual = BgeSmallEncoder.onnxSha256();
    assertEquals(64, actual.length());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> BgeSmallEncoder.verified("0".repeat(64)));
    assertTrue(e.getMessage().contains(actual), e.getMessage());
    assertTrue(e.getMessage().contains(BgeSmallEncoder.MAVEN), e.getMessage());
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
