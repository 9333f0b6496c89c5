package io.armguard.model;

import io.armguard.decode.GuidedEngine;

/**
 * A deliberate layer violation (model → decode), only for LayerGraphTest's test of its own rule.
 * Test sources are not checked by the layer rules; this class exists to prove they can fail.
 */
public final class LayerViolationFixture {

  private LayerViolationFixture() {}

  /** Uses a decode type from the model package. */
  public static int contextOf(GuidedEngine engine) {
    return engine.contextSize();
  }
}
