package io.dvo.gate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServeCommandTest {
  @Test
  void aMissingPolicyPackIsAOneLineErrorWithExitCode2() throws Exception {
    Path dir = Files.createTempDirectory("serve-test");
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code =
        cli.execute(
            "serve",
            "--port",
            "0",
            "--data",
            dir.resolve("gate.db").toString(),
            "--policies",
            dir.resolve("no-such-pack").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("DVO_POLICY_DIR").contains("no-such-pack");
    assertThat(err.toString()).doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  void serveIsASubcommandWithTheDocumentedOptions() {
    CommandLine serve = Main.commandLine().getSubcommands().get("serve");
    assertThat(serve).isNotNull();
    assertThat(serve.getCommandSpec().optionsMap().keySet())
        .contains("--port", "--data", "--policies", "--dev", "--public-url", "--host");
  }

  private static ServeCommand parsed(String... args) {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void theLocalServerRefusesThePrincipalHeaderUnlessToldToTrustIt() {
    io.dvo.gate.config.Settings environment = io.dvo.gate.config.Settings.of(java.util.Map.of());

    assertThat(parsed().effectiveSettings(environment).auth().trustPrincipalHeader()).isFalse();
    assertThat(parsed("--dev").effectiveSettings(environment).auth().trustPrincipalHeader())
        .isFalse();
    assertThat(
            parsed("--trust-principal-header")
                .effectiveSettings(environment)
                .auth()
                .trustPrincipalHeader())
        .isTrue();
    assertThat(
            parsed()
                .effectiveSettings(
                    io.dvo.gate.config.Settings.of(
                        java.util.Map.of("DVO_TRUST_PRINCIPAL_HEADER", "true")))
                .auth()
                .trustPrincipalHeader())
        .isTrue();
  }

  @Test
  void azureTrustsThePrincipalHeaderByDefault() {
    assertThat(io.dvo.gate.config.Settings.of(java.util.Map.of()).auth().trustPrincipalHeader())
        .isTrue();
  }
}
