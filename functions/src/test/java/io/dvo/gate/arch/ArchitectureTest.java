package io.dvo.gate.arch;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.dvo.gate.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the adapters thin and the core free of hosting and storage types. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.dvo.gate");
  }

  @Test
  void handlersAreFreeOfAzureFunctionsTypes() {
    noClasses()
        .that()
        .resideInAPackage("io.dvo.gate.http..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.microsoft.azure.functions..")
        .check(classes);
  }

  @Test
  void onlyTheFunctionsPackageTouchesTheFunctionsLibrary() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.dvo.gate.functions..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.microsoft.azure.functions..")
        .check(classes);
  }

  @Test
  void sharedPolicyCoreIsFreeOfStorageSdkAndHostingTypes() throws Exception {
    // Exactly the classes of the shared-policy module (its jar or classes directory).
    JavaClasses sharedPolicy =
        new ClassFileImporter()
            .importUrl(Json.class.getProtectionDomain().getCodeSource().getLocation());
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "com.azure..",
            "com.microsoft.azure..",
            "java.sql..",
            "org.sqlite..",
            "hudson..",
            "jenkins..",
            "org.jenkinsci..",
            "org.kohsuke..",
            "org.eclipse.jetty..")
        .check(sharedPolicy);
  }

  @Test
  void handlersDoNotReachIntoStorageImplementations() {
    noClasses()
        .that()
        .resideInAPackage("io.dvo.gate.http..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.dvo.gate.store.sqlite..",
            "io.dvo.gate.store.cosmos..",
            "com.azure..",
            "java.sql..",
            "org.eclipse.jetty..")
        .check(classes);
  }

  @Test
  void handlersTouchNoStore() {
    // HTTP only translates: every read and write goes through a service (GateService,
    // ApprovalService, PolicyAdminService, QuotaAdminService, ...), which holds the rules.
    noClasses()
        .that()
        .resideInAPackage("io.dvo.gate.http..")
        .should()
        .dependOnClassesThat(
            simpleNameEndingWith("Store")
                .and(resideInAPackage("io.dvo.gate.."))
                .as("a store of the gate"))
        .orShould()
        .dependOnClassesThat()
        .haveSimpleName("Stores")
        .check(classes);
  }

  @Test
  void theWireContractDependsOnNoDomainPackage() {
    // Domain types map to io.dvo.gate.api, never the reverse; identity.Actor is the one shared
    // value (an initiator's actor kind), json the wire-name helpers.
    classes()
        .that()
        .resideInAPackage("io.dvo.gate.api..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "com.fasterxml.jackson..",
            "io.dvo.gate.api..",
            "io.dvo.gate.json..",
            "io.dvo.gate.identity..")
        // In `mvn verify` shared-policy's tests arrive as its test-jar: only main classes count.
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.dvo.gate.api"));
  }

  @Test
  void noPackageIsSplitAcrossTheModules() throws Exception {
    java.util.Set<String> core = new java.util.TreeSet<>();
    new ClassFileImporter()
        .importUrl(Json.class.getProtectionDomain().getCodeSource().getLocation())
        .forEach(c -> core.add(c.getPackageName()));
    java.util.Set<String> split = new java.util.TreeSet<>();
    new ClassFileImporter()
        .importUrl(
            io.dvo.gate.config.GateApp.class.getProtectionDomain().getCodeSource().getLocation())
        .forEach(
            c -> {
              if (core.contains(c.getPackageName())) {
                split.add(c.getName());
              }
            });
    org.assertj.core.api.Assertions.assertThat(split)
        .as("functions classes in a package that shared-policy also has")
        .isEmpty();
  }
}
