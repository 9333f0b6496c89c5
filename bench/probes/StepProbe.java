// One GPT-2-small decode step through armguard's own backbone and KvCache (random weights, one
// libtorch thread), timing the backbone (wall and this thread's CPU time), the LM head and top-k per
// step, over 16 steps after a prompt of P tokens, 3 rounds. Used to compare two builds of the same
// code paired on a noisy machine (BENCHMARKS.md, "KV cache written in place"):
//   cp=$(cat target/classpath.txt); javac -cp target/classes:$cp -d /tmp/probe bench/probes/StepProbe.java
//   java -Dai.djl.offline=true -cp /tmp/probe:target/classes:$cp StepProbe B P
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import io.armguard.model.*;
public class StepProbe {
  public static void main(String[] a) throws Exception {
    int B = Integer.parseInt(a[0]);
    try (NDManager m = NDManager.newBaseManager()) {
      GptConfig c = GptConfig.of(50257, 1024, 768, 12, 12);
      CausalLm lm = new CausalLm(GptBackbone.randomlyInitialized(c, m, 1)).forInference();
      EngineThreads.autogradOffForThisThread();
      for (int round = 0; round < 3; round++) {
        try (NDManager batch = m.newSubManager()) {
          KvCache cache = new KvCache(batch, 12);
          int P = Integer.parseInt(a[1]); int[][] prompts = new int[B][P];
          NDList in = LeftPadding.pad(prompts, 0, batch);
          lm.backbone().hidden(in.get(0), in.get(2), in.get(1), cache, false);
          long tH = 0, tL = 0, tK = 0, cH = 0; int steps = 16; var mx = java.lang.management.ManagementFactory.getThreadMXBean();
          for (int s = 0; s < steps; s++) {
            try (NDManager st = batch.newSubManager()) {
              long[][] ids = new long[B][1]; long[][] pos = new long[B][1]; long[][] mask = new long[B][P + s + 1];
              for (int b = 0; b < B; b++) { pos[b][0] = P + s; java.util.Arrays.fill(mask[b], 1L); }
              long c0 = mx.getCurrentThreadCpuTime();
              long t0 = System.nanoTime();
              NDArray h = lm.backbone().hidden(st.create(ids), st.create(pos), st.create(mask), cache, false);
              long t1 = System.nanoTime();
              cH += mx.getCurrentThreadCpuTime() - c0;
              NDArray logits = lm.lastLogits(h);
              float[] dummy = logits.get(0).get(0).toFloatArray();
              long t2 = System.nanoTime();
              NDList top = logits.topK(20, -1, true, true);
              float[] v = top.get(0).toFloatArray(); long[] ids2 = top.get(1).toLongArray();
              long t3 = System.nanoTime();
              tH += t1 - t0; tL += t2 - t1; tK += t3 - t2;
            }
          }
          System.out.printf("B=%d hidden cpu %.2f ms, hidden %.2f ms, lm head %.2f ms, topk %.2f ms per step%n", B, cH/1e6/steps, tH/1e6/steps, tL/1e6/steps, tK/1e6/steps);
        }
      }
    }
  }
}
