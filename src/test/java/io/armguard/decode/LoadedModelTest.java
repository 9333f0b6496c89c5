package io.armguard.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A model id splits into the directory name and the content-hash prefix. */
class LoadedModelTest {

  @Test
  void anIdSplitsAtItsLastAt() {
    LoadedModel m = new LoadedModel(LoadedModel.REWARD, "my@arm@0123456789ab");
    assertEquals("my@arm", m.name());
    assertEquals("0123456789ab", m.sha256());
  }

  @Test
  void anIdWithoutAHashIsAllName() {
    LoadedModel m = new LoadedModel(LoadedModel.LM, "external-lm");
    assertEquals("external-lm", m.name());
    assertEquals("", m.sha256());
  }
}
