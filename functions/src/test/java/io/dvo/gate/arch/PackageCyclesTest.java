package io.dvo.gate.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No import cycles between the gate's top-level packages ({@code io.dvo.gate.X}, both modules,
 * sub-packages folded into their parent).
 *
 * <p>The layers this keeps, from the bottom: {@code api} (the wire contract, depending on no domain
 * package), the domain ({@code plan}, {@code request}, {@code quota}, {@code policy}, {@code
 * calendar}, {@code run}, {@code opa}, {@code audit}, {@code approval}), {@code store} (the ports
 * and their Cosmos, SQLite and in-memory implementations), the services ({@code service}, {@code
 * admin}, {@code tenantpolicy}), the adapters ({@code http}, {@code review}, {@code overview},
 * {@code signin}, {@code notify}, {@code metrics}, {@code health}) and {@code config}, the
 * composition root, which nothing reaches back into: features read settings through {@code
 * settings.SettingValues}. A cycle is broken by moving a type to the package it belongs to or by
 * inverting the dependency with a small interface, never by listing it here.
 */
class PackageCyclesTest {
  private static PackageGraph graph;

  @BeforeAll
  static void importClasses() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // In `mvn verify` shared-policy's tests arrive as its test-jar, not as test-classes.
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.dvo.gate");
    graph = new PackageGraph(classes);
  }

  @Test
  void noPackageCycles() {
    Set<String> cyclic = new TreeSet<>();
    for (String edge : graph.cyclicEdges()) {
      String[] ends = edge.split(" -> ");
      cyclic.add(edge + " (e.g. " + graph.edges.get(ends[0]).get(ends[1]) + ")");
    }
    assertThat(cyclic)
        .as(
            "package edges on an import cycle (move the type to the package it belongs to, or"
                + " invert the dependency with a small interface)")
        .isEmpty();
  }

  @Test
  void theGraphSeesBothModules() {
    // A rule over an empty or one-module graph would pass for nothing.
    assertThat(graph.edges.keySet()).contains("api", "service", "store", "http", "config");
    assertThat(graph.edges.get("config")).containsKeys("http", "service", "store");
  }

  @Test
  void theCheckerFindsCyclesAndOnlyCycles() {
    PackageGraph synthetic =
        new PackageGraph(
            java.util.Map.of(
                "a", java.util.Map.of("b", "A -> B"),
                "b", java.util.Map.of("c", "B -> C", "d", "B -> D"),
                "c", java.util.Map.of("a", "C -> A"),
                "d", java.util.Map.of()));
    assertThat(synthetic.cyclicEdges()).containsExactlyInAnyOrder("a -> b", "b -> c", "c -> a");
  }
}
