package io.armguard.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bundled ONNX MiniLM runs offline (surefire sets ai.djl.offline) on DJL 0.35.1 tokenizers. */
class SentenceEncoderTest {
  @Test
  void embedsOfflineToNormalisedVectorsThatReflectMeaning() {
    SentenceEncoder encoder = new SentenceEncoder();
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
    double norm = dot(v[0], v[0]);
    assertEquals(1.0, norm, 1e-3);
    assertTrue(dot(v[0], v[2]) > dot(v[0], v[3]) + 0.1, "similar sentences are closer");
    assertEquals(384, v[4].length);
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
