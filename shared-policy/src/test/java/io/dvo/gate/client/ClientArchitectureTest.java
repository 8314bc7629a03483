package io.dvo.gate.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.TreeSet;
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

  /**
   * Domain types the client and pipeline packages still use, frozen on 2026-12-02: the target is
   * {@code io.dvo.gate.api} only (the wire contract), so this list only shrinks. The parser and its
   * {@code Checked} answer are there on purpose: the pipeline step checks a plan with the gate's
   * own parser, so a Jenkinsfile's plan gets the gate's rules and wording rather than a second
   * validator's (its problems are {@code api.FieldError}s, no longer a type of their own).
   */
  static final Set<String> FROZEN_DOMAIN_TYPES =
      Set.of(
          "io.dvo.gate.approval.ApprovalEvent",
          "io.dvo.gate.approval.ApprovalRecord",
          "io.dvo.gate.approval.Vote",
          "io.dvo.gate.approval.VoteKind",
          "io.dvo.gate.identity.Actor",
          "io.dvo.gate.plan.QuotaMath",
          "io.dvo.gate.request.GateRequestParser",
          "io.dvo.gate.input.Checked");

  @Test
  void clientAndPipelineDependOnTheApiOnly() {
    Set<String> beyond = new TreeSet<>();
    for (JavaClass origin : CLIENT_AND_PIPELINE) {
      for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
        String target = dependency.getTargetClass().getBaseComponentType().getName();
        if (target.startsWith("io.dvo.gate.")
            && !target.startsWith("io.dvo.gate.api.")
            && !target.startsWith("io.dvo.gate.client.")
            && !target.startsWith("io.dvo.gate.pipeline.")
            && !target.startsWith("io.dvo.gate.json.")
            && !FROZEN_DOMAIN_TYPES.contains(target)) {
          beyond.add(origin.getSimpleName() + " -> " + target);
        }
      }
    }
    assertThat(beyond)
        .as("client and pipeline use the wire contract (io.dvo.gate.api) only")
        .isEmpty();
  }
}
