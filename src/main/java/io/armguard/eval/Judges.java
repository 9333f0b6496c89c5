package io.armguard.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads a judge directory of either kind. Stateless. */
public final class Judges {
  private Judges() {}

  /**
   * {@value ToxicityJudge#FILE} in {@code dir}: the frozen-encoder judge ({@link ToxicityJudge});
   * {@code armguard.json}: a fine-tuned classifier directory ({@link RewardModelJudge}).
   *
   * @throws IOException if {@code dir} holds neither, or the one it holds cannot be read
   */
  public static TextJudge load(Path dir) throws IOException {
    if (Files.isRegularFile(dir.resolve(ToxicityJudge.FILE))) {
      return ToxicityJudge.load(dir);
    }
    if (Files.isRegularFile(dir.resolve("armguard.json"))) {
      return RewardModelJudge.load(dir);
    }
    throw new IOException(
        dir
            + " is not a judge: no "
            + ToxicityJudge.FILE
            + " (train one with ./armguard train judge) and no armguard.json (./armguard train"
            + " replies --kind rad --train-on-judge-share)");
  }
}
