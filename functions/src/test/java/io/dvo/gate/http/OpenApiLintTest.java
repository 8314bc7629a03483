package io.dvo.gate.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Spectral's OpenAPI rules ({@code tools/openapi-lint/.spectral.yaml}) find no error in the
 * published document. The linter is installed by {@code scripts/setup} (step 45-openapi-lint).
 */
class OpenApiLintTest {
  private static final Path TOOL = Path.of("..", "tools", "openapi-lint");
  private static final Path DOCUMENT =
      Path.of("src", "main", "resources", "io", "dvo", "gate", "http", "openapi.json");

  @Test
  void spectralFindsNoErrorInTheDocument() throws Exception {
    Path spectral = TOOL.resolve("node_modules/@stoplight/spectral-cli/dist/index.js");
    assertThat(spectral)
        .as("the OpenAPI linter is missing: run ./scripts/setup (step 45-openapi-lint)")
        .exists();
    Path output = Files.createTempFile("spectral", ".txt");
    try {
      Process lint =
          new ProcessBuilder(
                  "node",
                  spectral.toAbsolutePath().toString(),
                  "lint",
                  "--ruleset",
                  TOOL.resolve(".spectral.yaml").toAbsolutePath().toString(),
                  "--fail-severity",
                  "error",
                  "--format",
                  "text",
                  DOCUMENT.toAbsolutePath().toString())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      assertThat(lint.waitFor(120, TimeUnit.SECONDS)).as("spectral finished").isTrue();
      String report = Files.readString(output, StandardCharsets.UTF_8);
      assertThat(lint.exitValue()).as(report).isZero();
      assertThat(report).doesNotContain(" error ");
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
