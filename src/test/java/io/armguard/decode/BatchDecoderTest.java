package io.armguard.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.armguard.model.CausalLm;
import io.armguard.model.TinyModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BatchDecoderTest {

  private static NDManager manager;
  private static CausalLm lm;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
    lm = TinyModels.lm(TinyModels.config(), manager, 11).forInference();
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  static DecodeRequest request(String id, int maxNew, int topK, float temperature, long seed) {
    return new DecodeRequest(
        id,
        "unused",
        maxNew,
        topK,
        temperature,
        seed,
        Strategy.UNGUIDED,
        0f,
        SteeringDirection.AWAY_FROM_LABEL);
  }

  private static int[] decodeOne(BatchDecoder d, int[] prompt, DecodeRequest r) {
    return d.decode(new int[][] {prompt}, List.of(r), null).outputs().get(0).tokenIds();
  }

  @Test
  void eosCannotWinBeforeTheMinimumLength() {
    int[] prompt = {4, 8, 15, 16, 23, 42};
    // make the greedy first token the EOS: without a minimum the row ends with 0 tokens
    int eos = decodeOne(new BatchDecoder(lm, manager, -1), prompt, request("g", 1, 1, 0f, 1))[0];
    BatchDecoder d = new BatchDecoder(lm, manager, eos);
    assertEquals(0, decodeOne(d, prompt, request("free", 8, 1, 0f, 1)).length);
    for (int k : new int[] {1, 5}) {
      DecodeRequest min3 = request("min", 8, k, 0f, 1).withMinNewTokens(3);
      SequenceOutput o = d.decode(new int[][] {prompt}, List.of(min3), null).outputs().get(0);
      assertTrue(o.tokenIds().length >= 3, "k=" + k + ": " + o.tokenIds().length + " tokens");
      for (int i = 0; i < 3; i++) {
        assertNotEquals(eos, o.tokenIds()[i]);
      }
    }
    // a batch mate without a minimum still stops at EOS in the same batch
    DecodedBatch both =
        d.decode(
            new int[][] {prompt, prompt},
            List.of(request("a", 8, 2, 0f, 1).withMinNewTokens(4), request("b", 8, 2, 0f, 1)),
            null);
    assertTrue(both.outputs().get(0).tokenIds().length >= 4);
    assertEquals(0, both.outputs().get(1).tokenIds().length);
  }

  @Test
  void sameSeedSameTokensAndOtherSeedOtherTokens() {
    BatchDecoder d = new BatchDecoder(lm, manager, -1);
    int[] prompt = {4, 8, 15, 16, 23, 42};
    int[] a = decodeOne(d, prompt, request("a", 20, 50, 1f, 1234));
    int[] b = decodeOne(d, prompt, request("b", 20, 50, 1f, 1234));
    int[] c = decodeOne(d, prompt, request("c", 20, 50, 1f, 99));
    assertEquals(20, a.length);
    assertArrayEquals(a, b);
    assertFalse(java.util.Arrays.equals(a, c), "a different seed should give different samples");
  }

  @Test
  void rowOutputDoesNotDependOnBatchMates() {
    BatchDecoder d = new BatchDecoder(lm, manager, -1);
    int[][] prompts = {{3, 1, 4, 1, 5, 9, 2, 6}, {7}, {100, 200, 30}};
    List<DecodeRequest> reqs =
        List.of(
            request("x", 12, 40, 1f, 1),
            request("y", 7, 5, 0.7f, 2),
            request("z", 15, 300, 1.3f, 3));
    DecodedBatch together = d.decode(prompts, reqs, null);
    for (int i = 0; i < prompts.length; i++) {
      int[] alone = decodeOne(d, prompts[i], reqs.get(i));
      assertArrayEquals(alone, together.outputs().get(i).tokenIds(), "row " + i);
    }
    assertEquals(12, together.outputs().get(0).tokenIds().length);
    assertEquals(7, together.outputs().get(1).tokenIds().length);
    assertEquals(15, together.outputs().get(2).tokenIds().length);
    assertEquals(14, together.stepNanos().length, "steps stop when the longest budget is spent");
  }

  @Test
  void greedyEqualsArgmaxOfFullRecomputation() {
    BatchDecoder d = new BatchDecoder(lm, manager, -1);
    int[][] prompts = {{10, 20, 30, 40, 50}, {60, 70}};
    List<DecodeRequest> reqs = List.of(request("g1", 10, 300, 0f, 5), request("g2", 10, 1, 1f, 6));
    DecodedBatch out = d.decode(prompts, reqs, null);
    for (int b = 0; b < 2; b++) {
      List<Integer> seq = new ArrayList<>();
      for (int t : prompts[b]) {
        seq.add(t);
      }
      for (int token : out.outputs().get(b).tokenIds()) {
        float[] logits =
            TinyModels.nextLogits(lm, seq.stream().mapToInt(Integer::intValue).toArray(), manager);
        assertEquals(argmax(logits), token, "row " + b + " position " + seq.size());
        seq.add(token);
      }
    }
  }

  @Test
  void stopsAtEos() {
    int[] prompt = {1, 2, 3};
    int first = decodeOne(new BatchDecoder(lm, manager, -1), prompt, request("a", 5, 1, 0f, 0))[0];
    BatchDecoder withEos = new BatchDecoder(lm, manager, first);
    SequenceOutput o =
        withEos
            .decode(new int[][] {prompt}, List.of(request("a", 5, 1, 0f, 0)), null)
            .outputs()
            .get(0);
    assertEquals(0, o.tokenIds().length);
    assertTrue(o.stoppedAtEos());
    assertEquals(GuidanceStats.NONE, o.stats());
  }

  @Test
  void topKOneIsGreedyWhateverTheTemperature() {
    BatchDecoder d = new BatchDecoder(lm, manager, -1);
    int[] prompt = {9, 9, 9};
    assertArrayEquals(
        decodeOne(d, prompt, request("a", 8, 1, 2f, 1)),
        decodeOne(d, prompt, request("b", 8, 30, 0f, 2)));
  }

  @Test
  void rejectsPromptsBeyondTheContext() {
    BatchDecoder d = new BatchDecoder(lm, manager, -1);
    int[] prompt = new int[60];
    assertThrows(
        IllegalArgumentException.class, () -> decodeOne(d, prompt, request("a", 5, 1, 0f, 0)));
    assertNotEquals(0, decodeOne(d, prompt, request("a", 4, 1, 0f, 0)).length);
  }

  private static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
