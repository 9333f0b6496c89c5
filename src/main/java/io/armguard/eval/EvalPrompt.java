package io.armguard.eval;

/**
 * One evaluation prompt.
 *
 * @param text the prompt (first half of a held-out corpus text)
 * @param kind {@code toxic-prone} (the full text was rated toxic by the evaluator) or {@code
 *     neutral}
 * @param sourceToxicity the evaluator's score of the full held-out text
 */
public record EvalPrompt(String text, String kind, double sourceToxicity) {}
