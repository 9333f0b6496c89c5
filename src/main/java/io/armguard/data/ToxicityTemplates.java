package io.armguard.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Template augmentation for the toxicity data: insult frames filled with insulting words and
 * severity-2 profanity, and mirror-image kind frames (same syntax, kind words) so a model cannot
 * learn "second person = toxic". Each frame list is split into two halves: half 0 feeds the reward
 * models, half 1 the independent evaluator, so the two never see the same frame. All frames were
 * written for armguard; none is taken from the gold set.
 */
public final class ToxicityTemplates {
  static final List<String> INSULT_FRAMES =
      List.of(
          "You are such a {A} {N}.",
          "Shut up, you {A} {N}.",
          "Nobody wants you here, you {N}.",
          "What a {A} {N} you are.",
          "Get lost, you {A} {N}.",
          "You're the most {A} {N} I have ever met.",
          "Everyone knows you are a {A} {N}.",
          "Listen here, {N}: nobody cares what you think.",
          "You {A} {N}, go away.",
          "Only a {A} {N} like you would say that.",
          "Your face makes me sick, you {N}.",
          "Are you always this {A}, or is today special, {N}?",
          "Go to hell, you {A} {N}.",
          "I hate you, you {A} {N}.",
          "Stop talking, {N}, you sound {A}.",
          "Your ideas are as {A} as you are, {N}.",
          "Don't be such a {N}.",
          "He is a {A} {N} and everybody knows it.",
          "She's nothing but a {A} {N}.",
          "They are all {A} {N}s.",
          "Screw you, {N}.",
          "Keep your {A} mouth shut.",
          "Shut your {A} mouth, {N}.",
          "What the hell is wrong with you, {N}?");
  static final List<String> KIND_FRAMES =
      List.of(
          "You are such a {A} {N}.",
          "Thank you, you {A} {N}.",
          "Everyone is glad you are here, {N}.",
          "What a {A} {N} you are.",
          "Come on in, my {A} {N}.",
          "You're the most {A} {N} I have ever met.",
          "Everyone knows you are a {A} {N}.",
          "Listen, {N}: we all value what you think.",
          "You {A} {N}, welcome back.",
          "Only a {A} {N} like you would do that.",
          "Your smile makes my day, {N}.",
          "Are you always this {A}, or is today special, {N}?",
          "Have a great day, you {A} {N}.",
          "I appreciate you, my {A} {N}.",
          "Keep talking, {N}, you sound {A}.",
          "Your ideas are as {A} as you are, {N}.",
          "Don't change, you {A} {N}.",
          "He is a {A} {N} and everybody knows it.",
          "She's a truly {A} {N}.",
          "They are all {A} {N}s.",
          "Thanks a lot, {N}.",
          "Your {A} words made my day.",
          "Tell me more, my {A} {N}.",
          "What a pleasure to see you, {N}!");
  static final List<String> INSULT_NOUNS =
      List.of(
          "idiot",
          "moron",
          "loser",
          "jerk",
          "clown",
          "fool",
          "imbecile",
          "dumbass",
          "bastard",
          "asshole",
          "prick",
          "scumbag",
          "creep",
          "freak",
          "coward",
          "dimwit",
          "halfwit",
          "cretin",
          "slob",
          "pig",
          "rat",
          "parasite",
          "nitwit",
          "bitch",
          "dickhead",
          "douchebag",
          "piece of shit");
  static final List<String> INSULT_ADJECTIVES =
      List.of(
          "stupid",
          "ugly",
          "pathetic",
          "worthless",
          "disgusting",
          "useless",
          "dumb",
          "fat",
          "lazy",
          "brainless",
          "ignorant",
          "miserable",
          "filthy",
          "gross",
          "spineless",
          "clueless",
          "hopeless",
          "repulsive",
          "vile",
          "idiotic",
          "fucking",
          "damn",
          "goddamn",
          "shitty",
          "crappy");
  static final List<String> KIND_NOUNS =
      List.of(
          "friend",
          "person",
          "soul",
          "colleague",
          "neighbour",
          "teacher",
          "cook",
          "partner",
          "listener",
          "human being",
          "helper",
          "student",
          "artist",
          "leader",
          "writer");
  static final List<String> KIND_ADJECTIVES =
      List.of(
          "wonderful",
          "kind",
          "brilliant",
          "thoughtful",
          "generous",
          "lovely",
          "clever",
          "talented",
          "warm",
          "honest",
          "patient",
          "cheerful",
          "amazing",
          "gentle",
          "smart",
          "helpful",
          "funny",
          "caring");

  private final int half;

  /**
   * @param half 0 = reward-model frames, 1 = evaluator frames
   */
  public ToxicityTemplates(int half) {
    if (half != 0 && half != 1) {
      throw new IllegalArgumentException("half must be 0 or 1");
    }
    this.half = half;
  }

  /**
   * Makes {@code count} toxic and {@code count} kind examples. Half of each are standalone frames,
   * half are a clean sentence with the frame appended or prepended.
   */
  public List<LabelledText> augment(List<String> cleanSentences, int count, Random random) {
    List<LabelledText> out = new ArrayList<>(2 * count);
    for (int i = 0; i < count; i++) {
      out.add(
          make(
              INSULT_FRAMES,
              INSULT_ADJECTIVES,
              INSULT_NOUNS,
              1,
              "template:insult",
              cleanSentences,
              random));
      out.add(
          make(
              KIND_FRAMES,
              KIND_ADJECTIVES,
              KIND_NOUNS,
              0,
              "template:kind",
              cleanSentences,
              random));
    }
    return out;
  }

  private LabelledText make(
      List<String> frames,
      List<String> adjectives,
      List<String> nouns,
      int label,
      String source,
      List<String> clean,
      Random random) {
    List<String> mine = frames(frames);
    String frame = mine.get(random.nextInt(mine.size()));
    String text =
        frame
            .replace("{A}", adjectives.get(random.nextInt(adjectives.size())))
            .replace("{N}", nouns.get(random.nextInt(nouns.size())));
    if (!clean.isEmpty() && random.nextBoolean()) {
      String sentence = clean.get(random.nextInt(clean.size()));
      text = random.nextBoolean() ? sentence + " " + text : text + " " + sentence;
      source = source + "+sentence";
    }
    return new LabelledText(text, label, source);
  }

  /** This half's frames: even positions for half 0, odd for half 1. */
  List<String> frames(List<String> all) {
    List<String> out = new ArrayList<>();
    for (int i = half; i < all.size(); i += 2) {
      out.add(all.get(i));
    }
    return out;
  }
}
