package io.armguard.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One measured decode configuration of {@code bench decode --roofline} next to this machine's
 * limits, printed as one JSON line ({@code "bench":"decode-roofline"}). The targets are
 * judged here: a step within {@value #CHAIN_TARGET}× the same-shape weight chain at every batch
 * size, within {@value #MEMORY_TARGET}× the memory roofline at batch 1, and batch 32 at least
 * {@value #SCALING_TARGET}× the tokens/s of batch 1; a target that does not apply to the row is
 * null.
 *
 * @param bench always {@code decode-roofline}
 * @param msPerStep the decoder's median KV-cached step (whole batch, sampling included)
 * @param chainMs the same-shape weight-matmul chain's median, measured in the same run
 * @param memoryRooflineMs the chain's fp32 weight bytes / measured bandwidth
 * @param flopRooflineMs 2 × chain parameters × batch / measured matmul peak
 * @param stepOverChain {@code msPerStep / chainMs}
 * @param stepOverMemoryRoofline {@code msPerStep / memoryRooflineMs}
 * @param stepOverRoofline {@code msPerStep} / the larger of the two rooflines
 * @param tokensPerS the decode result's tokens/s (prefill and steps)
 * @param tokensPerSVsB1 {@code tokensPerS} / batch 1's, same strategy and top-k; null without a
 *     batch-1 row
 * @param stepTokensPerSVsB1 the same from steps alone: {@code batch × ms/step(1) / ms/step(batch)}
 */
public record DecodeRooflineResult(
    String bench,
    String strategy,
    int batch,
    int topK,
    double msPerStep,
    double chainMs,
    double memoryRooflineMs,
    double flopRooflineMs,
    double stepOverChain,
    double stepOverMemoryRoofline,
    double stepOverRoofline,
    double tokensPerS,
    Double tokensPerSVsB1,
    Double stepTokensPerSVsB1,
    boolean chainTargetMet,
    Boolean memoryTargetMet,
    Boolean scalingTargetMet,
    int threads,
    String device,
    String model) {

  public static final double CHAIN_TARGET = 1.25;
  public static final double MEMORY_TARGET = 1.5;
  public static final double SCALING_TARGET = 8;

  /**
   * The probe's own figures, printed once per run ({@code "bench":"decode-roofline-probe"}).
   *
   * @param weightBytes the chain's fp32 weights (what a step reads at least once)
   * @param memoryRooflineMs {@code weightBytes} / bandwidth
   */
  public record Probe(
      String bench,
      double bandwidthGbPerS,
      long bandwidthProbeBytes,
      double matmulGflopPerS,
      int matmulN,
      int chainLayers,
      int chainDModel,
      int chainVocab,
      long chainParameters,
      long weightBytes,
      String dtype,
      double memoryRooflineMs,
      int runs,
      int threads,
      String device,
      String model) {

    public static Probe of(
        Roofline machine,
        RooflineProbe.Settings settings,
        WeightChain chain,
        int threads,
        String device,
        String model) {
      return new Probe(
          "decode-roofline-probe",
          Statistics.round(machine.bandwidthGbPerS(), 2),
          settings.bandwidthBytes(),
          Statistics.round(machine.matmulGflopPerS(), 1),
          settings.gemmSize(),
          chain.layers(),
          chain.dModel(),
          chain.vocab(),
          chain.parameters(),
          chain.weightBytes(),
          "float32",
          Statistics.round(machine.memoryMs(chain), 3),
          settings.runs(),
          threads,
          device,
          model);
    }
  }

  /**
   * Each decode result next to the chain measured at its batch size and the machine's rooflines.
   * Results whose batch size has no chain time are left out.
   *
   * @param chainMsByBatch {@link RooflineProbe#chainMs} per batch size
   */
  public static List<DecodeRooflineResult> compare(
      List<DecodeBenchResult> results,
      Map<Integer, Double> chainMsByBatch,
      Roofline machine,
      WeightChain chain) {
    Map<String, DecodeBenchResult> batchOne = new HashMap<>();
    for (DecodeBenchResult r : results) {
      if (r.batch() == 1) {
        batchOne.put(r.strategy() + "/" + r.topK(), r);
      }
    }
    List<DecodeRooflineResult> out = new ArrayList<>();
    for (DecodeBenchResult r : results) {
      Double chainMs = chainMsByBatch.get(r.batch());
      if (chainMs == null) {
        continue;
      }
      DecodeBenchResult one = batchOne.get(r.strategy() + "/" + r.topK());
      double memory = machine.memoryMs(chain);
      double flop = machine.flopMs(chain, r.batch());
      double overChain = r.msPerStep() / chainMs;
      double overMemory = r.msPerStep() / memory;
      Double vsB1 = one == null ? null : ratio(r.tokensPerS(), one.tokensPerS());
      Double stepVsB1 = one == null ? null : ratio(r.batch() * one.msPerStep(), r.msPerStep());
      out.add(
          new DecodeRooflineResult(
              "decode-roofline",
              r.strategy(),
              r.batch(),
              r.topK(),
              r.msPerStep(),
              Statistics.round(chainMs, 3),
              Statistics.round(memory, 3),
              Statistics.round(flop, 3),
              Statistics.round(overChain, 3),
              Statistics.round(overMemory, 3),
              Statistics.round(r.msPerStep() / Math.max(memory, flop), 3),
              r.tokensPerS(),
              vsB1,
              stepVsB1,
              overChain <= CHAIN_TARGET,
              r.batch() == 1 ? overMemory <= MEMORY_TARGET : null,
              r.batch() == 32 && vsB1 != null ? vsB1 >= SCALING_TARGET : null,
              r.threads(),
              r.device(),
              r.model()));
    }
    return out;
  }

  private static Double ratio(double a, double b) {
    return b > 0 ? Statistics.round(a / b, 3) : null;
  }
}
