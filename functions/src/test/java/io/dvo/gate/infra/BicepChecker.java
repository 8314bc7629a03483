package io.dvo.gate.infra;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code tools/bicep-check/check.js} (tree-sitter-bicep) from the tests. */
final class BicepChecker {
  static final Path REPO = Path.of("").toAbsolutePath().getParent();
  static final Path INFRA = REPO.resolve("infra-bicep");
  private static final Path TOOL = REPO.resolve("tools/bicep-check");

  record Run(int exitCode, String stdout, String stderr) {}

  private BicepChecker() {}

  static Run run(String... args) {
    if (!Files.isDirectory(TOOL.resolve("node_modules/tree-sitter-bicep"))) {
      throw new IllegalStateException(
          "tools/bicep-check is not installed: run ./scripts/setup (npm ci in tools/bicep-check)");
    }
    List<String> command = new ArrayList<>(List.of("node", TOOL.resolve("check.js").toString()));
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("bicep-check", ".out");
      Path err = Files.createTempFile("bicep-check", ".err");
      Process process =
          new ProcessBuilder(command)
              .directory(REPO.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("bicep-check did not finish within 60 s");
      }
      Run run =
          new Run(
              process.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return run;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run node (is Node.js installed?): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running bicep-check", e);
    }
  }

  /** The whole template as data (expressions as syntax trees, local modules inlined). */
  static JsonNode model(Path bicepFile) {
    Run run = run("model", bicepFile.toString());
    if (run.exitCode() != 0) {
      throw new IllegalStateException(
          "bicep-check model failed for " + bicepFile + ":\n" + run.stderr());
    }
    try {
      return Json.mapper().readTree(run.stdout());
    } catch (IOException e) {
      throw new IllegalStateException("bicep-check printed no JSON: " + e.getMessage(), e);
    }
  }

  /** Parameters, variables, resources and outputs of one Bicep file, literals as JSON. */
  static JsonNode facts(Path bicepFile) {
    Run run = run("facts", bicepFile.toString());
    if (run.exitCode() != 0) {
      throw new IllegalStateException(
          "bicep-check facts failed for " + bicepFile + ":\n" + run.stderr());
    }
    try {
      return Json.mapper().readTree(run.stdout());
    } catch (IOException e) {
      throw new IllegalStateException("bicep-check printed no JSON: " + e.getMessage(), e);
    }
  }
}
