package io.armguard.decode;

/**
 * One sequence to decode, as plain Java values (no tensors, no Kafka).
 *
 * @param id caller's id, echoed in the result
 * @param prompt text to continue (already validated non-empty)
 * @param maxNewTokens token budget, >= 1
 * @param topK candidates kept from the LM logits at every step, >= 1
 * @param temperature sampling temperature; 0 means greedy over the (guided) logits
 * @param seed seed of this request's own random generator, so results do not depend on batch
 *     composition
 * @param strategy UNGUIDED, ARM or RAD
 * @param beta guidance strength (largest logit bonus), finite and >= 0
 * @param direction AWAY_FROM_LABEL (detox: reward 1 - r) or TOWARD_LABEL (reward r)
 */
public record DecodeRequest(
    String id,
    String prompt,
    int maxNewTokens,
    int topK,
    float temperature,
    long seed,
    Strategy strategy,
    float beta,
    SteeringDirection direction) {}
