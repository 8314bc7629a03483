package io.dvo.gate.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Jenkins plugin packages shared-policy but may use only its pipeline-facing packages: the wire
 * contract ({@code api}, with {@code json}), the client and the step's plain classes ({@code
 * pipeline}). The plugin builds only with {@code -Pjenkins} where Jenkins' repository is reachable,
 * so ArchUnit cannot see its classes here; this reads its sources instead, every import and every
 * fully qualified name.
 */
class JenkinsPluginDependenciesTest {
  private static final Path PLUGIN_SOURCES =
      Path.of("..").toAbsolutePath().normalize().resolve("jenkins-plugin/src/main/java");
  private static final Set<String> ALLOWED = Set.of("api", "client", "pipeline", "json", "jenkins");
  private static final Pattern GATE_NAME = Pattern.compile("\\bio\\.dvo\\.gate\\.([a-z]+)\\.");

  @Test
  void thePluginUsesOnlyTheWireContractTheClientAndThePipelineClasses() throws IOException {
    List<Path> sources;
    try (Stream<Path> walk = Files.walk(PLUGIN_SOURCES)) {
      sources = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    assertThat(sources).as("the plugin's sources under " + PLUGIN_SOURCES).isNotEmpty();
    Set<String> beyond = new TreeSet<>();
    for (Path source : sources) {
      beyond.addAll(packagesBeyondTheAllowed(Files.readString(source), source.getFileName()));
    }
    assertThat(beyond).as("shared-policy packages the plugin must not use").isEmpty();
  }

  @Test
  void aDomainPackageInThePluginIsCaught() {
    String source =
        "package io.dvo.gate.jenkins;\nimport io.dvo.gate.api.GateDecision;\n"
            + "class X { io.dvo.gate.store.Stores stores; }\n";
    assertThat(packagesBeyondTheAllowed(source, Path.of("X.java")))
        .containsExactly("X.java uses io.dvo.gate.store");
  }

  static Set<String> packagesBeyondTheAllowed(String source, Path file) {
    Set<String> beyond = new TreeSet<>();
    Matcher m = GATE_NAME.matcher(source);
    while (m.find()) {
      if (!ALLOWED.contains(m.group(1))) {
        beyond.add(file + " uses io.dvo.gate." + m.group(1));
      }
    }
    return beyond;
  }
}
