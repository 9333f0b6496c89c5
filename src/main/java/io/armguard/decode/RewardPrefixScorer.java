package io.armguard.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.armguard.model.LeftPadding;
import io.armguard.model.TextTokenizer;
import io.armguard.reward.ArmRewardModel;
import io.armguard.reward.RewardModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores every prefix of texts with a reward model in one forward pass per batch: context + text
 * are tokenized (context and text separately, as a prompt and its generated continuation are),
 * left-padded together, and the model's per-position scores ({@link RewardModel#prefixScores}) are
 * read at the text's positions and clamped to [0, 1]. One instance per thread.
 */
public final class RewardPrefixScorer implements PrefixScorer {

  private final RewardModel model;
  private final TextTokenizer tokenizer;
  private final NDManager parent;
  private final int steer;

  /**
   * Scores by the model's own steering label.
   *
   * @param model the reward model (weights shared)
   * @param tokenizer the tokenizer shared by the LM and the reward model
   * @param parent a manager on the model's device; each batch works in a sub-manager of it
   */
  public RewardPrefixScorer(RewardModel model, TextTokenizer tokenizer, NDManager parent) {
    this(model, tokenizer, parent, model.info().steeringLabel());
  }

  /** As above, {@link PrefixScores#steering()} holding {@code steeringLabel}'s scores. */
  public RewardPrefixScorer(
      RewardModel model, TextTokenizer tokenizer, NDManager parent, String steeringLabel) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.parent = parent;
    this.steer = RewardGuidanceProvider.labelIndex(model, steeringLabel);
  }

  @Override
  public List<PrefixScores> scorePrefixes(List<TextScoreRequest> batch) {
    int n = batch.size();
    TextTokenizer.Encoded[] texts = new TextTokenizer.Encoded[n];
    List<int[]> sequences = new ArrayList<>();
    List<Integer> rowOf = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      TextScoreRequest r = batch.get(i);
      int[] context = r.context().isEmpty() ? new int[0] : tokenizer.encode(r.context());
      texts[i] = tokenizer.encodeWithOffsets(r.text());
      int[] seq = new int[context.length + texts[i].ids().length];
      System.arraycopy(context, 0, seq, 0, context.length);
      System.arraycopy(texts[i].ids(), 0, seq, context.length, texts[i].ids().length);
      if (seq.length > model.maxTokens()) {
        throw new IllegalArgumentException(
            "text "
                + i
                + ": context + text are "
                + seq.length
                + " tokens, more than the reward model's context of "
                + model.maxTokens());
      }
      if (texts[i].ids().length > 0) {
        rowOf.add(i);
        sequences.add(seq);
      }
    }
    float[] flat = new float[0];
    int width = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
    if (!sequences.isEmpty()) {
      try (NDManager m = parent.newSubManager()) {
        NDList in = LeftPadding.pad(sequences.toArray(int[][]::new), 0, m);
        NDArray scores =
            model.info().output().apply(model.prefixScores(in.get(0), in.get(1), false));
        flat = scores.toFloatArray(); // [rows, width, L]
      }
    }
    List<String> labels = model.info().labels();
    int l = labels.size();
    PrefixScores[] out = new PrefixScores[n];
    for (int i = 0; i < n; i++) {
      out[i] = empty(texts[i], labels);
    }
    for (int row = 0; row < rowOf.size(); row++) {
      int i = rowOf.get(row);
      int len = texts[i].ids().length;
      float[] steering = new float[len];
      for (int t = 0; t < len; t++) {
        int col = width - len + t;
        steering[t] = flat[(row * width + col) * l + steer];
      }
      Map<String, Float> last = new LinkedHashMap<>();
      for (int j = 0; j < l; j++) {
        last.put(labels.get(j), flat[(row * width + width - 1) * l + j]);
      }
      out[i] = new PrefixScores(texts[i].ids(), texts[i].endChars(), steering, last);
    }
    return List.of(out);
  }

  /** An empty text scores 0 on every label. */
  private static PrefixScores empty(TextTokenizer.Encoded text, List<String> labels) {
    Map<String, Float> zeros = new LinkedHashMap<>();
    labels.forEach(label -> zeros.put(label, 0f));
    return new PrefixScores(text.ids(), text.endChars(), new float[0], zeros);
  }

  /**
   * An incremental scorer of streamed replies over this scorer's model and label, its entries owned
   * by {@code manager}, grouping streams into passes by {@code batching}; null when the model is
   * not ARM (streams are then scored whole).
   */
  ArmStreamCache streamCache(NDManager manager, StreamBatching batching) {
    return model instanceof ArmRewardModel arm
        ? new ArmStreamCache(
            arm, tokenizer, manager, steer, ArmStreamCache.DEFAULT_MAX_CACHED_TOKENS, batching)
        : null;
  }

  @Override
  public List<String> labels() {
    return model.info().labels();
  }

  @Override
  public String steeringLabel() {
    return model.info().labels().get(steer);
  }

  @Override
  public String rewardId() {
    return model.id();
  }
}
