package io.armguard.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XyPlotTest {

  @Test
  void writesAReadablePng(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("plot.png");
    DetoxEvaluation.plot(
        List.of(
            new DetoxRow("UNGUIDED", 0, 0.5, 0.4, 0.01, 30, 0.8, 0.9, 0.95, 10, 5, 1),
            new DetoxRow("ARM-distilled", 10, 0.3, 0.2, 0.0, 33, 0.8, 0.9, 0.95, 10, 5, 1),
            new DetoxRow("ARM-distilled", 5, 0.4, 0.3, 0.0, 31, 0.8, 0.9, 0.95, 10, 5, 1)),
        JudgeBaseline.of(new double[] {0.2, 0.7, 0.1, 0.3}, 2, 0),
        png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, "a PNG ImageIO can read");
    assertEquals(900, image.getWidth());
    assertEquals(600, image.getHeight());
  }
}
