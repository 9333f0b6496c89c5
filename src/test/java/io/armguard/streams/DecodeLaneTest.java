package io.armguard.streams;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armguard.moderate.WordListEngine;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DecodeLaneTest {

  @Test
  void theEngineIsNeverClosedUnderARunningDecode() throws Exception {
    WordListEngine engine = new WordListEngine();
    DecodeLane lane = new DecodeLane(engine, "lane-test", Duration.ofMillis(50));
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    lane.execute(
        () -> {
          started.countDown();
          // a libtorch op ignores interrupts: so does this "decode step"
          while (true) {
            try {
              if (release.await(10, TimeUnit.SECONDS)) {
                break;
              }
            } catch (InterruptedException ignored) {
              // keep running, as native code would
            }
          }
          assertFalse(engine.closed, "engine closed under a running decode");
        });
    assertTrue(started.await(10, TimeUnit.SECONDS));

    lane.close(); // returns after its wait although the decode still runs
    assertFalse(engine.closed, "engine memory freed while a decode runs");

    release.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!engine.closed && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertTrue(engine.closed, "closed once the decode ended");
  }

  @Test
  void anIdleLaneClosesItsEngineAtOnce() {
    WordListEngine engine = new WordListEngine();
    // a generous wait: close() returns as soon as the idle worker has ended (a 50 ms wait failed
    // on a loaded machine, where the worker thread was not scheduled in time)
    DecodeLane lane = new DecodeLane(engine, "lane-idle", Duration.ofSeconds(10));
    lane.execute(() -> {});
    lane.close();
    assertTrue(engine.closed);
  }
}
