package io.dvo.gate.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.pipeline.StepOutcome;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The CI facts, durations and exit codes the command is built on. */
class CiEnvironmentTest {
  @Test
  void aRerunAttemptIsANewQuestionAndTheSameAttemptTheSameOne() {
    Map<String, String> first =
        Map.of("GITHUB_ACTIONS", "true", "GITHUB_RUN_ID", "1", "GITHUB_RUN_ATTEMPT", "1");
    Map<String, String> rerun =
        Map.of("GITHUB_ACTIONS", "true", "GITHUB_RUN_ID", "1", "GITHUB_RUN_ATTEMPT", "2");
    String a = CiEnvironment.of(first).idempotencyKey("api", "prod").orElseThrow();
    assertThat(CiEnvironment.of(first).idempotencyKey("api", "prod")).contains(a);
    assertThat(CiEnvironment.of(rerun).idempotencyKey("api", "prod").orElseThrow()).isNotEqualTo(a);
    assertThat(CiEnvironment.of(first).idempotencyKey("api", "staging").orElseThrow())
        .isNotEqualTo(a);
  }

  @Test
  void outsideAKnownCiThereIsNoDefaultKeyAndNoInitiator() {
    CiEnvironment none = CiEnvironment.of(Map.of("CI", "true"));
    assertThat(none.idempotencyKey("a", "dev")).isEmpty();
    assertThat(none.initiator()).isNull();
    assertThat(none.kind()).isEqualTo("cli");
  }

  @Test
  void aLongKeyIsHashedAndStaysWithinTheLimit() {
    String repo = "o/" + "r".repeat(300);
    String key =
        CiEnvironment.of(
                Map.of("GITHUB_ACTIONS", "true", "GITHUB_RUN_ID", "5", "GITHUB_REPOSITORY", repo))
            .idempotencyKey("a", "dev")
            .orElseThrow();
    assertThat(key).startsWith("github-actions:sha256:").hasSizeLessThanOrEqualTo(200);
  }

  @Test
  void durationsReadAsPeopleWriteThemAndRefuseTheRest() {
    assertThat(Durations.parse("4h")).isEqualTo(Duration.ofHours(4));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("PT2H")).isEqualTo(Duration.ofHours(2));
    for (String bad : new String[] {"", "0s", "4", "-1h", "4 hours", "99999999999999999999h"}) {
      assertThatThrownBy(() -> Durations.parse(bad)).isInstanceOf(TypeConversionException.class);
    }
    assertThat(Durations.words(Duration.ofMinutes(239))).isEqualTo("3h 59m");
  }

  @Test
  void everyOutcomeHasItsOwnExitCodeAndOnlyAnAllowedRunExitsZero() {
    Set<Integer> seen = new HashSet<>();
    for (StepOutcome o : EnumSet.allOf(StepOutcome.class)) {
      int code = ExitCodes.of(o);
      assertThat(code == 0).as(o.name()).isEqualTo(o == StepOutcome.ALLOWED);
      if (o != StepOutcome.WARNINGS_REFUSED) {
        assertThat(seen.add(code)).as(o + " shares " + code).isTrue();
      }
    }
    assertThat(ExitCodes.of(StepOutcome.WARNINGS_REFUSED)).isEqualTo(ExitCodes.DENIED);
    assertThat(ExitCodes.of(StepOutcome.EXPIRED)).isEqualTo(12);
    assertThat(ExitCodes.of(StepOutcome.FAILED)).isEqualTo(20);
  }
}
