package io.armguard.decode;

/**
 * A text to score with the reward model, as a continuation of its context.
 *
 * @param context text that precedes (MODERATE: the prompt); may be empty
 * @param text the text whose prefixes are scored
 */
public record TextScoreRequest(String context, String text) {}
