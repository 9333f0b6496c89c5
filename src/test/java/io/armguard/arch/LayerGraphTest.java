package io.armguard.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layer graph of docs/ARCHITECTURE.md, enforced: imports point down only. A violation fails
 * with the offending class and the type it uses named. Main classes only (tests may reach across).
 */
class LayerGraphTest {

  private static final String[] UPPER_FLOORS = {
    "io.armguard.model..",
    "io.armguard.reward..",
    "io.armguard.decode..",
    "io.armguard.moderate..",
    "io.armguard.streams..",
    "io.armguard.train..",
    "io.armguard.eval..",
    "io.armguard.bench..",
    "io.armguard.cli.."
  };

  static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.armguard");
  }

  private static final ArchRule MODEL_RULE =
      noClasses()
          .that()
          .resideInAPackage("io.armguard.model..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.armguard.reward..", "io.armguard.decode..");

  @Test
  void modelKnowsNothingOfRewardsOrDecoding() {
    check(MODEL_RULE);
  }

  @Test
  void aViolationFailsNamingTheOffendingClassAndImport() {
    JavaClasses fixture =
        new ClassFileImporter().importClasses(io.armguard.model.LayerViolationFixture.class);
    AssertionError e = assertThrows(AssertionError.class, () -> MODEL_RULE.check(fixture));
    assertTrue(e.getMessage().contains("LayerViolationFixture"), e.getMessage());
    assertTrue(e.getMessage().contains("io.armguard.decode.GuidedEngine"), e.getMessage());
  }

  @Test
  void decodeKnowsNothingOfKafka() {
    check(
        noClasses()
            .that()
            .resideInAnyPackage(
                "io.armguard.decode..", "io.armguard.reward..", "io.armguard.model..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.apache.kafka..", "io.armguard.streams.."));
  }

  @Test
  void streamsKnowsNoTensors() {
    check(
        noClasses()
            .that()
            .resideInAPackage("io.armguard.streams..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("ai.djl.."));
  }

  @Test
  void theGroundFloorImportsNoUpperFloor() {
    check(
        noClasses()
            .that()
            .resideInAnyPackage(
                "io.armguard.config..",
                "io.armguard.schema..",
                "io.armguard.serde..",
                "io.armguard.data..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(UPPER_FLOORS));
  }

  @Test
  void configurationImportsNoGeneratedAvroCode() {
    // config is read by every layer; the schema's enums are mapped onto config values in streams
    check(
        noClasses()
            .that()
            .resideInAPackage("io.armguard.config..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.armguard.schema.."));
  }

  @Test
  void nothingDependsOnTheCommandLine() {
    check(
        noClasses()
            .that()
            .resideOutsideOfPackage("io.armguard.cli..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.armguard.cli.."));
  }

  @Test
  void streamsIsCalledOnlyFromTheCommandLine() {
    check(
        noClasses()
            .that()
            .resideInAnyPackage(
                "io.armguard.model..",
                "io.armguard.reward..",
                "io.armguard.decode..",
                "io.armguard.moderate..",
                "io.armguard.train..",
                "io.armguard.eval..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.armguard.streams.."));
  }

  private static void check(ArchRule rule) {
    rule.check(classes);
  }
}
