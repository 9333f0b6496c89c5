package io.armguard.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TokenRangeTest {

  @Test
  void parsesANumberOrARange() {
    assertEquals(TokenRange.of(16), TokenRange.parse("16"));
    assertTrue(TokenRange.parse("16").single());
    assertEquals(16, TokenRange.parse("16").json());
    TokenRange mixed = TokenRange.parse("4-64");
    assertEquals(new TokenRange(4, 64), mixed);
    assertFalse(mixed.single());
    assertEquals("4-64", mixed.json());
    assertEquals(new TokenRange(8, 8), TokenRange.parse(" 8 - 8 "));
  }

  @Test
  void rejectsWhatIsNoRange() {
    for (String bad : new String[] {"0", "-3", "64-4", "4-", "a-b", "", "4-64-5"}) {
      assertThrows(IllegalArgumentException.class, () -> TokenRange.parse(bad), bad);
    }
  }

  @Test
  void drawsAreSeededAndCoverTheRange() {
    TokenRange mixed = new TokenRange(4, 64);
    int[] a = mixed.draw(2000, 42);
    assertArrayEquals(a, mixed.draw(2000, 42));
    assertEquals(4, Arrays.stream(a).min().orElseThrow());
    assertEquals(64, Arrays.stream(a).max().orElseThrow());
    long shortOnes = Arrays.stream(a).filter(t -> t <= TokenRange.SHORT_MAX).count();
    assertEquals(2000 * 13 / 61.0, shortOnes, 100); // 13 of 61 values are <= 16
    assertArrayEquals(new int[] {7, 7, 7}, TokenRange.of(7).draw(3, 1));
  }
}
