/**
 * Evaluation: the independent toxicity evaluator (MiniLM sentence embeddings + logistic
 * regression), detoxification runs over beta with perplexity and diversity, reward-model AUC,
 * numerical-rank analysis and the plots.
 *
 * <p>Allowed imports: {@code decode}, {@code reward}, {@code model}, {@code data}, DJL,
 * langchain4j's embedding model, Gson, AWT for the plots; nothing of {@code streams}, {@code
 * train}, {@code bench} or {@code cli}.
 */
package io.armguard.eval;
