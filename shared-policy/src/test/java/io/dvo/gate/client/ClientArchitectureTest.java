package io.dvo.gate.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ClientArchitectureTest {
  private static final JavaClasses CLIENT_AND_PIPELINE = importOwnClassesOnly();

  /** Rules here need names only, so skip resolving the whole classpath (seconds on 2 cores). */
  private static JavaClasses importOwnClassesOnly() {
    ArchConfiguration config = ArchConfiguration.get();
    boolean resolve = config.resolveMissingDependenciesFromClassPath();
    config.setResolveMissingDependenciesFromClassPath(false);
    try {
      return new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.dvo.gate.client", "io.dvo.gate.pipeline");
    } finally {
      config.setResolveMissingDependenciesFromClassPath(resolve);
    }
  }

  @Test
  void waitingNeverSleepsAThread() {
    noClasses()
        .should()
        .callMethod(Thread.class, "sleep", long.class)
        .orShould()
        .callMethod(Thread.class, "sleep", long.class, int.class)
        .orShould()
        .callMethod(java.util.concurrent.TimeUnit.class, "sleep", long.class)
        .because("a waiting pipeline must not hold a thread")
        .check(CLIENT_AND_PIPELINE);
  }

  @Test
  void clientAndPipelineUseNoJenkinsOrAzureTypes() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "com.fasterxml.jackson..", "io.dvo.gate..")
        .check(CLIENT_AND_PIPELINE);
  }
}
