package io.armguard.cli;

import io.armguard.data.DataCache;
import io.armguard.data.DataPreparer;
import io.armguard.data.Manifest;
import io.armguard.data.PreparedData;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code armguard data prepare}: corpora, toxicity splits, gold set and manifest. */
@Command(
    name = "prepare",
    mixinStandardHelpOptions = true,
    description = {
      "Build from the fetched sources: the LM corpus (train/valid/heldout), the weakly labelled"
          + " toxicity splits (reward-train, evaluator-train, valid; disjoint) and the held-out"
          + " gold set (hubot-insulter insults vs compliments), plus manifest.json with counts and"
          + " hashes. Deterministic for a seed.",
      "Prints the prepared files (rows, toxic rows, characters, sources, sha256 prefix) and the"
          + " source archives as two tables; the full counts and hashes are in manifest.json."
    })
public final class DataPrepareCommand implements Callable<Integer> {
  @Option(
      names = "--cache",
      defaultValue = "data-cache",
      description = "fetched sources (default: ${DEFAULT-VALUE})")
  Path cache;

  @Option(
      names = "--out",
      defaultValue = "work-data",
      description = "output directory (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(
      names = "--seed",
      defaultValue = "1234",
      description = "split and sampling seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--augment-ratio",
      defaultValue = "" + DataPreparer.DEFAULT_AUGMENT_RATIO,
      description =
          "template pairs (insult + kind) per natural toxic text in each training split, 0 = none"
              + " (default: ${DEFAULT-VALUE})")
  double augmentRatio;

  @Override
  public Integer call() throws Exception {
    Manifest manifest =
        new DataPreparer(new DataCache(cache), line -> System.err.println("prepare: " + line))
            .prepare(out, seed, augmentRatio);
    ManifestTable.lines(manifest.json()).forEach(System.out::println);
    System.out.println("manifest: " + out.resolve(PreparedData.MANIFEST));
    return 0;
  }
}
