package io.dvo.gate.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Issue 8: every Bicep file parses; a syntax error fails the build with its location. */
class BicepSyntaxTest {

  @Test
  void everyBicepFileInInfraBicepParsesWithoutErrors() {
    BicepChecker.Run run = BicepChecker.run("syntax", BicepChecker.INFRA.toString());

    assertThat(run.stderr()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).contains("0 syntax error(s)");
  }

  @Test
  void aBrokenTemplateIsReportedWithFileAndLine() {
    Path broken = Path.of("src/test/resources/bicep/broken.bicep").toAbsolutePath();

    BicepChecker.Run run = BicepChecker.run("syntax", broken.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr()).contains("broken.bicep:4:");
  }

  @Test
  void aParameterFileSettingAnUndeclaredParameterIsReported() {
    Path params = Path.of("src/test/resources/bicep/unknown-param.bicepparam").toAbsolutePath();

    BicepChecker.Run run = BicepChecker.run("syntax", params.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr()).contains("parameter 'nameprefix' is not declared");
  }
}
