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
 * sub-packages folded into their parent), with the cycles found on 2026-12-02 frozen by name.
 *
 * <p>{@link #FROZEN} lists every package edge that lay on a cycle then. A new edge that closes or
 * joins a cycle fails the build with an example class pair; an edge that no longer lies on a cycle
 * (a cycle broken) is reported so its line can be deleted. The list only shrinks. What it holds, in
 * short: {@code config} (the composition root) is reached back by {@code notify}, {@code review},
 * {@code signin} ({@code Setting}) and {@code store} ({@code CosmosContainer}); {@code api} reaches
 * the domain ({@code ApprovalInfo -> ApprovalStatus}, {@code GateDecision -> Reason}), which
 * reaches {@code api} back; {@code store} value types and the store interfaces serve both modules;
 * {@code metrics -> http} ({@code ApiObserver}) and the pages' {@code overview/review/signin ->
 * http}.
 */
class PackageCyclesTest {
  /**
   * Package edges on a cycle when this rule came in; delete a line when its cycle is broken. The
   * five {@code run} edges came with run outcomes (issue 17), merged the same day: {@code run}
   * itself closes no loop, it joins the big one through {@code run -> request} and the frozen
   * {@code store -> config} and {@code signin -> config} back-edges. The {@code audit} and {@code
   * calendar} edges (and {@code view -> policy} for the emergency banner) came with the audit
   * trail, calendars and break-glass (issues 14, 17), merged the same day as this rule: neither
   * package closes a loop of its own; each joins the big one through {@code store} ({@code
   * AuditStore}'s page type, {@code QuotaStore}'s calendar) and {@code request} ({@code
   * Violation}).
   */
  static final Set<String> FROZEN =
      Set.of(
          "approval -> audit",
          "audit -> store",
          "calendar -> policy",
          "calendar -> request",
          "config -> audit",
          "http -> audit",
          "http -> calendar",
          "metrics -> audit",
          "metrics -> calendar",
          "overview -> calendar",
          "service -> audit",
          "service -> calendar",
          "store -> audit",
          "store -> calendar",
          "view -> policy",
          "admin -> api",
          "admin -> policy",
          "admin -> quota",
          "admin -> request",
          "admin -> store",
          "admin -> tenantpolicy",
          "api -> approval",
          "api -> policy",
          "approval -> api",
          "approval -> policy",
          "approval -> request",
          "approval -> store",
          "config -> admin",
          "config -> approval",
          "config -> health",
          "config -> http",
          "config -> metrics",
          "config -> notify",
          "config -> opa",
          "config -> overview",
          "config -> policy",
          "config -> review",
          "config -> run",
          "config -> service",
          "config -> signin",
          "config -> store",
          "config -> tenantpolicy",
          "health -> policy",
          "health -> store",
          "http -> admin",
          "http -> api",
          "http -> approval",
          "http -> health",
          "http -> opa",
          "http -> policy",
          "http -> quota",
          "http -> request",
          "http -> run",
          "http -> service",
          "http -> store",
          "metrics -> approval",
          "metrics -> http",
          "metrics -> notify",
          "metrics -> quota",
          "metrics -> store",
          "notify -> api",
          "notify -> approval",
          "notify -> policy",
          "notify -> service",
          "notify -> store",
          "notify -> view",
          "opa -> api",
          "opa -> plan",
          "opa -> policy",
          "overview -> api",
          "overview -> approval",
          "overview -> http",
          "overview -> quota",
          "overview -> request",
          "overview -> review",
          "overview -> service",
          "overview -> store",
          "overview -> view",
          "plan -> api",
          "plan -> quota",
          "policy -> api",
          "policy -> request",
          "quota -> api",
          "quota -> policy",
          "quota -> request",
          "request -> api",
          "request -> plan",
          "review -> api",
          "review -> approval",
          "review -> http",
          "review -> policy",
          "review -> quota",
          "review -> store",
          "review -> view",
          "run -> request",
          "service -> api",
          "service -> approval",
          "service -> opa",
          "service -> plan",
          "service -> policy",
          "service -> quota",
          "service -> request",
          "service -> run",
          "service -> store",
          "signin -> config",
          "signin -> http",
          "store -> approval",
          "store -> config",
          "store -> quota",
          "store -> request",
          "store -> run",
          "tenantpolicy -> policy",
          "tenantpolicy -> service",
          "tenantpolicy -> store",
          "view -> api",
          "view -> approval");

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
  void noNewPackageCycles() {
    Set<String> fresh = new TreeSet<>();
    for (String edge : graph.cyclicEdges()) {
      if (!FROZEN.contains(edge)) {
        String[] ends = edge.split(" -> ");
        fresh.add(edge + " (e.g. " + graph.edges.get(ends[0]).get(ends[1]) + ")");
      }
    }
    assertThat(fresh)
        .as(
            "package edges that close an import cycle (invert the dependency, move the type, or,"
                + " as a last resort, add the edge to PackageCyclesTest.FROZEN with a reason)")
        .isEmpty();
  }

  @Test
  void reportsFrozenEdgesThatNoLongerLieOnACycle() {
    Set<String> broken = new TreeSet<>(FROZEN);
    broken.removeAll(graph.cyclicEdges());
    if (!broken.isEmpty()) {
      System.out.println("PackageCyclesTest: no longer on a cycle, delete from FROZEN: " + broken);
    }
    assertThat(graph.cyclicEdges()).isNotEmpty();
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
