package io.armguard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
  @Test
  void warmsUpLinearlyThenDecaysByCosineToTheFloor() {
    LearningRateSchedule s = new LearningRateSchedule(1f, 10, 110, 0.1f);
    assertEquals(0.1f, s.at(1), 1e-6);
    assertEquals(1f, s.at(10), 1e-6);
    assertEquals(0.55f, s.at(60), 1e-6); // half way: 0.1 + 0.9 * 0.5
    assertEquals(0.1f, s.at(110), 1e-6);
  }
}
