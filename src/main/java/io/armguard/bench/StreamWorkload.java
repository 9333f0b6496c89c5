package io.armguard.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The replies {@code bench stream} streams: clean chatbot answers of 60-110 words (about 80-150
 * chatbot tokens), so every stream is followed to its end without a rewrite and the three ways of
 * checking (streaming, whole reply, chunked re-check) score the same texts. Stream {@code i} gets
 * reply {@code i mod size}. Immutable.
 */
public final class StreamWorkload {

  /** A prompt and the reply that answers it. */
  public record Reply(String prompt, String text) {}

  private static final List<Reply> REPLIES =
      List.of(
          new Reply(
              "How do I keep basil alive indoors?",
              "Basil likes warmth and light, so put the pot on the sunniest windowsill you have,"
                  + " ideally one that gets six or more hours of direct sun. Water it when the top"
                  + " of the soil feels dry, and water the soil rather than the leaves. Pinch off"
                  + " the top pair of leaves above a node every week or two; the plant branches out"
                  + " and stays bushy instead of growing tall and thin. If flower buds appear, pinch"
                  + " them off too, because flowering makes the leaves bitter."),
          new Reply(
              "Can you explain what a hash table is?",
              "A hash table stores values under keys so that you can find a value again in about"
                  + " the same time no matter how many entries there are. It keeps an array of"
                  + " buckets and runs each key through a hash function that turns it into a number;"
                  + " that number, modulo the array size, picks the bucket. Two keys can land in the"
                  + " same bucket, so each bucket holds a short list, or the table probes the next"
                  + " free slot. When the table fills up past a load factor it grows and moves every"
                  + " entry into a larger array."),
          new Reply(
              "What should I pack for a weekend hike?",
              "For a weekend hike bring layers rather than one heavy jacket: a base layer that"
                  + " dries quickly, a warm fleece and a light waterproof shell. Pack more water than"
                  + " you think you need, a simple first aid kit, a headlamp with spare batteries, a"
                  + " map of the area even if your phone has one, and food that does not need"
                  + " cooking. Boots you have already worn in are worth more than new ones. Tell someone where you"
                  + " are going and when you plan to be back."),
          new Reply(
              "Why is the sky blue?",
              "Sunlight contains every colour, and when it passes through the atmosphere it"
                  + " bumps into gas molecules that are much smaller than the wavelength of the"
                  + " light. Such small particles scatter short wavelengths far more strongly than"
                  + " long ones, so blue light is scattered all over the sky while red and yellow"
                  + " light mostly travel straight on. Looking at any part of the sky away from the"
                  + " sun, you see that scattered blue light. At sunset the light crosses much more"
                  + " air, the blue is scattered away before it reaches you, and the sky turns"
                  + " orange and red."),
          new Reply(
              "Give me tips for a job interview.",
              "Read about the company before the interview and be ready to say why this role in"
                  + " particular interests you. Prepare two or three short stories from your past"
                  + " work that show how you solved a problem, what you did yourself and what"
                  + " changed as a result. Arrive a little early, listen to each question to the"
                  + " end, and it is fine to take a moment before answering. Bring a few questions of"
                  + " your own about the team and the work; interviewers notice when a candidate is"
                  + " curious."));

  private StreamWorkload() {}

  /** The replies for {@code streams} streams, stream {@code i} getting reply {@code i mod 5}. */
  public static List<Reply> replies(int streams) {
    List<Reply> out = new ArrayList<>(streams);
    for (int i = 0; i < streams; i++) {
      out.add(REPLIES.get(i % REPLIES.size()));
    }
    return out;
  }
}
