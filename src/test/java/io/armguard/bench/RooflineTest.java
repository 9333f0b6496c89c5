package io.armguard.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RooflineTest {

  @Test
  void gpt2SmallChainCountsTheWeightMatmulsOfAStep() {
    WeightChain gpt2 = new WeightChain(12, 768, 50257);
    assertEquals(12L * 12 * 768 * 768 + 768L * 50257, gpt2.parameters());
    assertEquals(494_128_128L, gpt2.weightBytes()); // the "~500 MB of fp32 weights"
    assertEquals(4 * 12 + 1, gpt2.matmuls().size());
    WeightChain tiny = new WeightChain(1, 4, 10);
    List<int[]> m = tiny.matmuls();
    assertArrayEquals(new int[] {4, 12}, m.get(0));
    assertArrayEquals(new int[] {4, 4}, m.get(1));
    assertArrayEquals(new int[] {4, 16}, m.get(2));
    assertArrayEquals(new int[] {16, 4}, m.get(3));
    assertArrayEquals(new int[] {4, 10}, m.get(4));
    assertEquals(m.stream().mapToLong(s -> (long) s[0] * s[1]).sum(), tiny.parameters());
    assertEquals(2.0 * tiny.parameters() * 8, tiny.flopsPerStep(8));
  }

  @Test
  void rooflinesAreBytesOverBandwidthAndFlopsOverPeak() {
    WeightChain chain = new WeightChain(0, 10, 100); // 1,000 parameters, 4,000 bytes
    Roofline machine = new Roofline(2, 5); // 2 GB/s, 5 GFLOP/s
    assertEquals(4000 / 2e9 * 1e3, machine.memoryMs(chain), 1e-12);
    assertEquals(2 * 1000 * 32 / 5e9 * 1e3, machine.flopMs(chain, 32), 1e-12);
    assertEquals(machine.memoryMs(chain), machine.ms(chain, 1), 0); // 2 µs reading > 0.4 µs FLOPs
    assertEquals(machine.flopMs(chain, 32), machine.ms(chain, 32), 0); // 12.8 µs FLOPs > 2 µs
  }

  @Test
  void eachStepIsComparedWithItsChainAndBatchOne() {
    WeightChain chain = new WeightChain(0, 10, 100); // memory roofline 2 ms at 2 MB/s
    Roofline machine = new Roofline(0.002, 1e-3);
    List<DecodeBenchResult> results =
        List.of(
            result(1, 3.0, 300),
            result(8, 6.0, 1200),
            result(32, 12.0, 2700),
            result(64, 20.0, 3000)); // no chain time: left out
    List<DecodeRooflineResult> rows =
        DecodeRooflineResult.compare(results, Map.of(1, 2.5, 8, 4.0, 32, 10.0), machine, chain);
    assertEquals(3, rows.size());
    DecodeRooflineResult one = rows.get(0);
    assertEquals("decode-roofline", one.bench());
    assertEquals(2.0, one.memoryRooflineMs(), 1e-9);
    assertEquals(1.2, one.stepOverChain(), 1e-9);
    assertEquals(1.5, one.stepOverMemoryRoofline(), 1e-9);
    assertEquals(1.0, one.tokensPerSVsB1(), 0);
    assertTrue(one.chainTargetMet());
    assertTrue(one.memoryTargetMet()); // 1.5 is within 1.5x
    assertNull(one.scalingTargetMet());
    DecodeRooflineResult eight = rows.get(1);
    assertEquals(1.5, eight.stepOverChain(), 1e-9);
    assertFalse(eight.chainTargetMet());
    assertNull(eight.memoryTargetMet());
    assertEquals(4.0, eight.tokensPerSVsB1(), 0);
    assertEquals(4.0, eight.stepTokensPerSVsB1(), 0); // 8 x 3 ms / 6 ms
    DecodeRooflineResult big = rows.get(2);
    assertEquals(2 * 1000 * 32 / 1e6 * 1e3, big.flopRooflineMs(), 1e-9); // 64 ms
    assertEquals(12.0 / 64, big.stepOverRoofline(), 1e-3);
    assertEquals(9.0, big.tokensPerSVsB1(), 0);
    assertTrue(big.scalingTargetMet());
  }

  @Test
  void withoutBatchOneTheRelativeFiguresAreNull() {
    WeightChain chain = new WeightChain(1, 8, 16);
    List<DecodeRooflineResult> rows =
        DecodeRooflineResult.compare(
            List.of(result(32, 5.0, 100)), Map.of(32, 5.0), new Roofline(1, 1), chain);
    assertNull(rows.get(0).tokensPerSVsB1());
    assertNull(rows.get(0).stepTokensPerSVsB1());
    assertNull(rows.get(0).scalingTargetMet());
  }

  @Test
  void probeMeasuresPositiveFiguresAtATinyShape() {
    try (NDManager manager = NDManager.newBaseManager();
        RooflineProbe probe =
            new RooflineProbe(manager, new RooflineProbe.Settings(1 << 20, 32, 2))) {
      assertTrue(probe.bandwidthGbPerS() > 0);
      assertTrue(probe.matmulGflopPerS() > 0);
      WeightChain chain = new WeightChain(2, 16, 50);
      assertTrue(probe.chainMs(chain, 1) > 0);
      assertTrue(probe.chainMs(chain, 4) > 0);
    }
  }

  private static DecodeBenchResult result(int batch, double msPerStep, double tokensPerS) {
    return new DecodeBenchResult(
        "unguided", batch, 20, 32, 16, tokensPerS, msPerStep, 1, 0, -1, 3, 2, "cpu()", "random");
  }
}
