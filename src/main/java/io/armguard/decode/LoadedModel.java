package io.armguard.decode;

import java.util.Objects;

/**
 * One model a service runs with, as operators identify it: its role and its id ({@code
 * directoryName@sha256-prefix}, the id audit records carry).
 *
 * @param role {@link #LM} or {@link #REWARD}
 * @param id the model's id; never null
 */
public record LoadedModel(String role, String id) {

  /** Role of the language model that writes continuations and rewrites. */
  public static final String LM = "lm";

  /** Role of a reward model (each guided strategy's, the first also scoring replies). */
  public static final String REWARD = "reward";

  public LoadedModel {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(id, "id");
  }

  /** The id's name part (the model directory's name); the whole id when it has no {@code @}. */
  public String name() {
    int at = id.lastIndexOf('@');
    return at < 0 ? id : id.substring(0, at);
  }

  /**
   * The id's content-hash part: the first hex digits of the SHA-256 of the model's files; empty
   * when the id has none.
   */
  public String sha256() {
    int at = id.lastIndexOf('@');
    return at < 0 ? "" : id.substring(at + 1);
  }
}
