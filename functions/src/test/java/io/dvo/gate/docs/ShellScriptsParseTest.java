package io.dvo.gate.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every shell script in the repository parses. The benchmark scripts run on demand, never in CI, so
 * a quoting mistake in one (an apostrophe inside {@code ${VAR:?message}}) would otherwise go
 * unnoticed until someone needs the figures.
 */
class ShellScriptsParseTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyShellScriptParses() throws Exception {
    List<Path> scripts = shellScripts();
    assertThat(scripts).as("the scripts found").hasSizeGreaterThan(10);
    List<String> broken = new ArrayList<>();
    for (Path script : scripts) {
      String shell = Files.readString(script).startsWith("#!/bin/sh") ? "sh" : "bash";
      Process check =
          new ProcessBuilder(shell, "-n", script.toString()).redirectErrorStream(true).start();
      String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
      if (check.exitValue() != 0) {
        broken.add(REPO.relativize(script) + ": " + out.strip());
      }
    }
    assertThat(broken).as("scripts that %s -n refuses", "bash/sh").isEmpty();
  }

  /** Files under scripts/, .ci/ and cli/ whose first line names sh or bash. */
  private static List<Path> shellScripts() throws IOException {
    List<Path> out = new ArrayList<>();
    for (String dir : List.of("scripts", ".ci", "cli")) {
      try (Stream<Path> files = Files.walk(REPO.resolve(dir))) {
        for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
          if (file.toString().contains("/target/")) {
            continue;
          }
          String first = firstLine(file);
          if (first.startsWith("#!") && (first.contains("bash") || first.endsWith("/sh"))) {
            out.add(file);
          }
        }
      }
    }
    return out;
  }

  private static String firstLine(Path file) throws IOException {
    try (var reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
      String line = reader.readLine();
      return line == null ? "" : line.strip();
    }
  }
}
