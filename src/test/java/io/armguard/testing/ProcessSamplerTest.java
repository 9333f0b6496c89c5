package io.armguard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs(value = OS.LINUX, disabledReason = "reads /proc")
class ProcessSamplerTest {

  private static final long SELF = ProcessHandle.current().pid();

  @Test
  void readsThisJvmsMemoryThreadsAndOpenFiles(@TempDir Path dir) throws IOException {
    ProcessSampler.Sample before = ProcessSampler.read(SELF);
    assertTrue(before.rssKib() > 10_000, "a JVM is more than 10 MB resident: " + before);
    assertTrue(before.threads() >= Thread.activeCount(), before.toString());
    try (FileChannel a = FileChannel.open(Files.createFile(dir.resolve("a")));
        FileChannel b = FileChannel.open(Files.createFile(dir.resolve("b")))) {
      ProcessSampler.Sample open = ProcessSampler.read(SELF);
      // other threads of the test JVM may open or close files meanwhile; two of ours stay open
      assertTrue(open.fds() >= 2, open.toString());
      assertTrue(a.isOpen() && b.isOpen());
    }
  }

  @Test
  void aProcessThatIsGoneCannotBeRead() {
    assertThrows(IOException.class, () -> ProcessSampler.read(Long.MAX_VALUE));
  }

  @Test
  void writesAHeaderAndOneLinePerSample(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("samples.txt");
    try (ProcessSampler sampler = ProcessSampler.start(SELF, Duration.ofMillis(20), file)) {
      sampler.awaitSamples(3, Duration.ofSeconds(10));
      sampler.close();
      List<String> lines = Files.readAllLines(file);
      List<ProcessSampler.Sample> samples = sampler.samples();
      assertTrue(samples.size() >= 3, "sampled: " + samples);
      assertTrue(lines.get(0).startsWith("# epoch_s rss_kib fds threads"), lines.get(0));
      assertEquals(
          samples.stream().map(ProcessSampler.Sample::line).toList(),
          lines.subList(1, lines.size()));
    }
  }
}
