package io.armguard.moderate;

/**
 * One point of a reply's score trajectory: the steering label's score of the reply's prefix that
 * ends at {@code endChar}.
 *
 * @param endChar end (exclusive) of the prefix, in chars of the reply
 * @param score the steering label's score of that prefix
 */
public record ScorePoint(int endChar, float score) {}
