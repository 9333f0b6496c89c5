package io.armguard.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class EngineThreadsTest {

  @Test
  void inferenceOnlyTurnsAutogradOffOnAFreshThreadAndRestoresIt() {
    Engine.getInstance(); // DJL turns grad mode off on the thread that starts the engine only
    List<Boolean> seen = new ArrayList<>();
    CompletableFuture.runAsync(
            () -> {
              seen.add(JniUtils.isGradMode());
              seen.add(EngineThreads.inferenceOnly(JniUtils::isGradMode));
              seen.add(JniUtils.isGradMode());
            },
            r -> new Thread(r, "fresh-decoding-thread").start())
        .join();
    assertEquals(3, seen.size());
    assertTrue(seen.get(0), "libtorch's grad mode is per thread and on by default");
    assertFalse(seen.get(1), "off while the work runs");
    assertTrue(seen.get(2), "the thread's own mode is restored");
  }

  @Test
  void inferenceOnlyLeavesAThreadWithAutogradOffAsItWas() {
    CompletableFuture.runAsync(
            () -> {
              JniUtils.setGradMode(false);
              assertFalse(EngineThreads.inferenceOnly(JniUtils::isGradMode));
              assertFalse(JniUtils.isGradMode());
            },
            r -> new Thread(r, "no-grad-thread").start())
        .join();
  }
}
