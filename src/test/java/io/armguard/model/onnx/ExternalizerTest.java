package io.armguard.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.armguard.model.Backbone;
import io.armguard.model.BertBackbone;
import io.armguard.model.ExternalTensors;
import io.armguard.model.ModelDirectory;
import io.armguard.model.PinnedArtifacts;
import io.armguard.model.SafetensorsDType;
import io.armguard.model.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * External tensors on a tiny synthetic BERT export ({@link TinyBertJar}) in a throw-away Maven
 * repository: externalize, bit-exact round trips in F32, the source's float32 in F16, saving with
 * references, and the refusals (SHA-256 mismatch, missing artifact, tensor both stored and
 * referenced, base without provenance).
 */
class ExternalizerTest {

  private static final String WORDS = BertBackbone.TOKEN_EMBEDDING;
  private static final String CHANGED = "encoder.layer.1.attention.self.query.weight";
  private static final String QUERY0 = "encoder.layer.0.attention.self.query.weight";

  @TempDir Path tmp;
  private NDManager manager;
  private PinnedArtifacts artifacts;
  private Path base;

  @BeforeEach
  void importTinyBase() throws IOException {
    manager = NDManager.newBaseManager(ai.djl.Device.cpu());
    Path jar = TinyBertJar.writeInto(tmp.resolve("repo"), 7);
    artifacts = PinnedArtifacts.of(null, tmp.resolve("repo"));
    base = tmp.resolve("base");
    ImportSource s = BertImporter.importJar(jar, base, SafetensorsDType.F32, null);
    assertEquals(TinyBertJar.COORDINATES, s.artifact());
  }

  @AfterEach
  void close() {
    manager.close();
  }

  /**
   * What fine-tuning leaves: the base made causal, layer 1's query weight trained (changed), the
   * rest frozen, and a new head tensor.
   */
  private Path fineTuned(String name, SafetensorsDType dtype) throws IOException {
    Path dir = tmp.resolve(name);
    try (NDManager m = manager.newSubManager()) {
      ModelDirectory.Loaded b = ModelDirectory.load(base, m);
      Backbone tuned = ModelDirectory.causalCopy(b.backbone(), TinyBertJar.LAYERS, m);
      tuned.namedParameters().get(CHANGED).getArray().addi(0.01f);
      NDArray head = m.randomNormal(new ai.djl.ndarray.types.Shape(1, TinyBertJar.D));
      ModelDirectory.save(dir, tuned, Map.of("rad_head.weight", head), b.tokenizer(), dtype);
      b.tokenizer().close();
    }
    return dir;
  }

  /** Every tensor the directory loads (backbone and extras), as float32 values by name. */
  private Map<String, float[]> loadedValues(Path dir) throws IOException {
    Map<String, float[]> out = new LinkedHashMap<>();
    try (NDManager m = manager.newSubManager()) {
      ModelDirectory.Loaded l = ModelDirectory.load(dir, m, artifacts);
      l.backbone().namedParameters().forEach((n, p) -> out.put(n, p.getArray().toFloatArray()));
      l.extras().forEach((n, a) -> out.put(n, a.toFloatArray()));
      if (l.tokenizer() != null) {
        l.tokenizer().close();
      }
    }
    return out;
  }

  @Test
  void f32DirectoryLoadsBitIdenticalAfterExternalizing() throws IOException {
    Path dir = fineTuned("arm", SafetensorsDType.F32);
    Map<String, float[]> before = loadedValues(dir);
    long fileBefore = Files.size(dir.resolve(ModelDirectory.WEIGHTS));

    Externalizer.Report r = Externalizer.externalize(dir, base, artifacts);

    assertTrue(r.externalized().contains(WORDS), r.externalized().toString());
    assertTrue(r.externalized().contains(QUERY0), "transposed matmul weights too");
    assertFalse(r.externalized().contains(CHANGED), "a trained tensor stays stored");
    assertFalse(r.externalized().contains("rad_head.weight"));
    SafetensorsFile after = SafetensorsFile.open(dir.resolve(ModelDirectory.WEIGHTS));
    assertEquals(
        List.of(CHANGED, "rad_head.weight"),
        List.copyOf(after.names()),
        "only what differs from the base is stored");
    long moved =
        ExternalTensors.read(dir).tensors().values().stream().mapToLong(t -> t.size() * 4).sum();
    assertEquals(fileBefore, r.bytesBefore());
    assertTrue(
        fileBefore - Files.size(dir.resolve(ModelDirectory.WEIGHTS)) >= moved,
        "model.safetensors lost at least the moved tensors' bytes");
    assertEquals(
        Files.size(dir.resolve(ModelDirectory.WEIGHTS))
            + Files.size(dir.resolve(ExternalTensors.FILE)),
        r.bytesAfter());

    Map<String, float[]> loaded = loadedValues(dir);
    assertEquals(before.keySet(), loaded.keySet());
    before.forEach((n, v) -> assertArrayEquals(v, loaded.get(n), n));

    assertNotEquals(r.idBefore(), r.idAfter());
    assertEquals(r.idAfter(), ModelDirectory.id(dir), "the id is stable");
    Externalizer.Report again = Externalizer.externalize(dir, base, artifacts);
    assertEquals(List.of(), again.externalized());
    assertEquals(r.idAfter(), again.idAfter(), "externalize is idempotent");
  }

  @Test
  void theIdCoversExternalJson() throws IOException {
    Path dir = fineTuned("arm", SafetensorsDType.F32);
    Externalizer.externalize(dir, base, artifacts);
    String id = ModelDirectory.id(dir);
    ExternalTensors ext = ExternalTensors.read(dir);
    Map<String, ExternalTensors.Reference> fewer = new LinkedHashMap<>(ext.tensors());
    fewer.remove(WORDS);
    ExternalTensors.of(fewer).write(dir);
    assertNotEquals(id, ModelDirectory.id(dir));
  }

  @Test
  void f16DirectoryLoadsTheSourcesFloat32NotItsRounding() throws IOException {
    Path dir = fineTuned("arm16", SafetensorsDType.F16);
    float[] rounded = loadedValues(dir).get(WORDS);
    float[] exact = loadedValues(base).get(WORDS);
    assertFalse(java.util.Arrays.equals(rounded, exact), "F16 rounds the embedding");

    Externalizer.Report r = Externalizer.externalize(dir, base, artifacts);
    assertTrue(r.externalized().contains(WORDS), r.externalized().toString());
    assertFalse(r.externalized().contains(CHANGED));

    Map<String, float[]> loaded = loadedValues(dir);
    assertArrayEquals(exact, loaded.get(WORDS));
    assertArrayEquals(loadedValues(base).get(QUERY0), loaded.get(QUERY0));
  }

  @Test
  void savingWithReferencesWritesNoDataForThemAndChecksThem() throws IOException {
    Path dir = tmp.resolve("saved");
    ExternalTensors refs = Externalizer.references(base, List.of(WORDS), artifacts);
    try (NDManager m = manager.newSubManager()) {
      ModelDirectory.Loaded b = ModelDirectory.load(base, m);
      Backbone tuned = ModelDirectory.causalCopy(b.backbone(), 1, m);
      ModelDirectory.save(dir, tuned, Map.of(), null, SafetensorsDType.F16, refs, artifacts);
      assertFalse(
          SafetensorsFile.open(dir.resolve(ModelDirectory.WEIGHTS)).names().contains(WORDS));
      assertEquals(refs, ExternalTensors.read(dir));
      assertArrayEquals(loadedValues(base).get(WORDS), loadedValues(dir).get(WORDS));

      tuned.namedParameters().get(WORDS).getArray().addi(1e-3f);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  ModelDirectory.save(
                      dir, tuned, Map.of(), null, SafetensorsDType.F16, refs, artifacts));
      assertTrue(e.getMessage().contains(WORDS + " differs"), e.getMessage());

      ModelDirectory.save(dir, tuned, Map.of(), null, SafetensorsDType.F16);
      assertFalse(Files.exists(dir.resolve(ExternalTensors.FILE)), "a stale external.json goes");
      b.tokenizer().close();
    }
  }

  @Test
  void aRebuiltArtifactFailsTheSha256Check() throws IOException {
    Path dir = fineTuned("arm", SafetensorsDType.F32);
    Externalizer.externalize(dir, base, artifacts);
    TinyBertJar.writeInto(tmp.resolve("other-repo"), 8); // same coordinates, other weights
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                ModelDirectory.load(
                    dir, manager, PinnedArtifacts.of(null, tmp.resolve("other-repo"))));
    assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains(TinyBertJar.COORDINATES), e.getMessage());
  }

  @Test
  void aMissingArtifactNamesItsCoordinatesAndHowToFetchThem() throws IOException {
    Path dir = fineTuned("arm", SafetensorsDType.F32);
    Externalizer.externalize(dir, base, artifacts);
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                ModelDirectory.load(
                    dir, manager, PinnedArtifacts.of(null, tmp.resolve("empty-repo"))));
    assertTrue(e.getMessage().contains(TinyBertJar.COORDINATES), e.getMessage());
    assertTrue(
        e.getMessage().contains("mvn dependency:get -Dartifact=" + TinyBertJar.COORDINATES),
        e.getMessage());
  }

  @Test
  void aTensorBothStoredAndReferencedIsRefusedAndExternalizeRepairsIt() throws IOException {
    Path dir = fineTuned("arm", SafetensorsDType.F32);
    Path copy = tmp.resolve("interrupted");
    Files.createDirectories(copy);
    for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json"}) {
      Files.copy(dir.resolve(f), copy.resolve(f));
    }
    Externalizer.externalize(dir, base, artifacts);
    // as if the run had stopped between writing external.json and model.safetensors
    Files.copy(
        dir.resolve(ExternalTensors.FILE),
        copy.resolve(ExternalTensors.FILE),
        StandardCopyOption.REPLACE_EXISTING);
    IOException e = assertThrows(IOException.class, () -> loadedValues(copy));
    assertTrue(e.getMessage().contains("both in"), e.getMessage());

    Externalizer.externalize(copy, base, artifacts);
    String hash = ModelDirectory.id(dir).split("@")[1];
    assertEquals(hash, ModelDirectory.id(copy).split("@")[1], "same files as a clean run");
  }

  @Test
  void aBaseWithoutMavenProvenanceIsRefused() throws IOException {
    Path dir = fineTuned("arm", SafetensorsDType.F32);
    IOException e =
        assertThrows(IOException.class, () -> Externalizer.externalize(dir, dir, artifacts));
    assertTrue(e.getMessage().contains("source.json"), e.getMessage());
  }
}
