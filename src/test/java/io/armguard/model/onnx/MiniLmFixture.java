package io.armguard.model.onnx;

import io.armguard.model.SafetensorsDType;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The fp32 all-MiniLM-L6-v2 jar (a test dependency, so on the test classpath) and one import of it
 * per JVM, shared by the tests that need real weights.
 */
public final class MiniLmFixture {

  public static final String ONNX_ENTRY = "all-minilm-l6-v2.onnx";

  private static Path imported;

  private MiniLmFixture() {}

  /** The jar file that holds {@link #ONNX_ENTRY}. */
  public static Path jar() {
    URL url = MiniLmFixture.class.getClassLoader().getResource(ONNX_ENTRY);
    if (url == null || !url.getProtocol().equals("jar")) {
      throw new IllegalStateException(
          ONNX_ENTRY + " is not on the test classpath: is the langchain4j test dependency there?");
    }
    String file = url.getPath().substring(0, url.getPath().indexOf("!/"));
    try {
      return Path.of(new URL(file).toURI());
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The ONNX bytes of the jar. */
  public static byte[] onnxBytes() throws IOException {
    try (ZipFile zip = new ZipFile(jar().toFile())) {
      ZipEntry e = zip.getEntry(ONNX_ENTRY);
      return zip.getInputStream(e).readAllBytes();
    }
  }

  /** A directory holding the F32 import of the jar (made once per JVM, under java.io.tmpdir). */
  public static synchronized Path importedDir() throws IOException {
    if (imported == null) {
      Path dir = java.nio.file.Files.createTempDirectory("minilm-import");
      BertImporter.importJar(jar(), dir, SafetensorsDType.F32, null);
      dir.toFile().deleteOnExit();
      imported = dir;
    }
    return imported;
  }
}
