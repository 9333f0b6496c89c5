package io.armguard.cli;

import io.armguard.data.DataCache;
import io.armguard.data.PinnedSource;
import io.armguard.data.SourceFetcher;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code armguard data fetch}: npm pack / apt-get download of the pinned sources. */
@Command(
    name = "fetch",
    mixinStandardHelpOptions = true,
    description = {
      "Download the pinned public sources (npm pack NAME@VERSION, apt-get download NAME=VERSION)"
          + " into the cache directory and unpack them. Already fetched sources are skipped.",
      "Sources that ask not to be republished (nlp-corpus) are only ever fetched, never committed."
    })
public final class DataFetchCommand implements Callable<Integer> {
  @Option(
      names = "--cache",
      defaultValue = "data-cache",
      description = "cache directory (default: ${DEFAULT-VALUE}, git-ignored)")
  Path cache;

  @Override
  public Integer call() throws Exception {
    SourceFetcher fetcher = new SourceFetcher(new DataCache(cache), line -> {});
    try (ProgressBar bar =
        TerminalProgress.quietOffTerminal(
                new ProgressBarBuilder()
                    .setTaskName("fetch")
                    .setInitialMax(PinnedSource.ALL.size())
                    .setStyle(ProgressBarStyle.ASCII)
                    .continuousUpdate())
            .build()) {
      for (PinnedSource source : PinnedSource.ALL) {
        bar.setExtraMessage(source.name());
        fetcher.fetch(source);
        bar.step();
      }
    }
    for (PinnedSource source : PinnedSource.ALL) {
      System.err.printf("%-32s %-14s %s%n", source.name(), source.version(), source.role());
    }
    return 0;
  }
}
