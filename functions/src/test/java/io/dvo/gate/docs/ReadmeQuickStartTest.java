package io.dvo.gate.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.cli.client.CliProcess;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start, run as a reader would paste it: the bash block after {@code <!--
 * quickstart:run -->}, in one shell, against a fresh server, with {@code dvo-gate} standing for the
 * CLI in this build (the block after {@code quickstart:install} builds the jar, which the test
 * phase has not). Twice, because the README promises it runs the same the second time.
 */
class ReadmeQuickStartTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path dir;

  static String block(String readme, String marker) {
    Matcher m =
        Pattern.compile(
                "<!-- quickstart:" + marker + " -->\\s*```bash\\n(.*?)\\n```", Pattern.DOTALL)
            .matcher(readme);
    assertThat(m.find())
        .as("README has a bash block after <!-- quickstart:" + marker + " -->")
        .isTrue();
    return m.group(1);
  }

  @Test
  void theQuickStartRunsAsWrittenAndSaysWhatItPrints() throws Exception {
    String readme = Files.readString(REPO.resolve("README.md"));
    String install = block(readme, "install");
    assertThat(install).contains("dvo-gate()").contains("mvn");
    String run = block(readme, "run");

    for (int round = 1; round <= 2; round++) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Path script = dir.resolve("quickstart-" + round + ".sh");
      Files.writeString(
          script,
          "set -euo pipefail\n"
              + "REPO='"
              + REPO
              + "'\n"
              + "dvo-gate() ( exec '"
              + Path.of(System.getProperty("java.home"), "bin", "java")
              + "' -XX:TieredStopAtLevel=1 -cp '"
              + System.getProperty("java.class.path")
              + "' io.dvo.gate.cli.Main \"$@\" )\n"
              + "cd \"$REPO\"\n"
              + run
              + "\n");
      CliProcess p =
          CliProcess.bash(
              script,
              REPO,
              java.util.Map.of("PORT", Integer.toString(port), "HOME", dir.toString()));
      String all = p.all();
      assertThat(p.exitCode()).as(all).isZero();
      assertThat(all)
          .contains("Allowed.")
          .contains("exit 10")
          .contains("staging validation")
          .contains("Approval required")
          .contains("exit 15")
          .containsPattern("started by dana\\.\\n\\[DVO Policy Gate\\] Allowed")
          .contains("used: 15")
          .contains("charges: 2");
      assertThat(all).doesNotContain("\tat io.dvo").doesNotContain("Exception in thread");
      assertThat(stillListening(port))
          .as("the quick start's last line stops the server it started (port %d)", port)
          .isFalse();
    }
  }

  /** Whether something still accepts connections on {@code port}, after up to 10 s of waiting. */
  private static boolean stillListening(int port) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        Thread.sleep(100);
      } catch (java.io.IOException refused) {
        return false;
      }
    }
    return true;
  }

  @Test
  void theQuickStartNeverPutsAKeyOnACommandLine() throws Exception {
    String run = block(Files.readString(REPO.resolve("README.md")), "run");
    List<String> offending = new ArrayList<>();
    for (String line : run.split("\n")) {
      if (line.contains("dvo-gate ") && line.matches(".*--(api-key|key|secret|token)\\b.*")) {
        offending.add(line);
      }
    }
    assertThat(offending).isEmpty();
  }
}
