package io.armguard.cli;

import io.armguard.data.ReplyLabels;
import io.armguard.data.ReplySet;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code armguard data replies}: validates the reply set and prints its per-batch counts. */
@Command(
    name = "replies",
    mixinStandardHelpOptions = true,
    description = {
      "Validate the labelled reply set written for armguard (data/replies/batch-*.jsonl; see its"
          + " README.md data card) and print a table of items, toxic replies and categories per"
          + " batch. A malformed line is reported with its file and line number (exit code 1)."
    })
public final class DataRepliesCommand implements Callable<Integer> {
  @Mixin ReplySetOption replies;

  @Override
  public Integer call() throws Exception {
    ReplySet set = replies.load();
    StringBuilder header =
        new StringBuilder(String.format("%-8s %6s %6s", "batch", "items", "toxic"));
    ReplyLabels.CATEGORIES.forEach(c -> header.append(String.format(" %15s", c)));
    System.out.println(header);
    int[] total = new int[2 + ReplyLabels.CATEGORIES.size()];
    for (Map.Entry<String, int[]> e : set.counts().entrySet()) {
      System.out.println(row(e.getKey(), e.getValue()));
      for (int i = 0; i < total.length; i++) {
        total[i] += e.getValue()[i];
      }
    }
    System.out.println(row("total", total));
    return 0;
  }

  private static String row(String name, int[] c) {
    StringBuilder b = new StringBuilder(String.format("%-8s %6d %6d", name, c[0], c[1]));
    for (int i = 2; i < c.length; i++) {
      b.append(String.format(" %15d", c[i]));
    }
    return b.toString();
  }
}
