package io.dvo.gate.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeLeftTest {
  private static final Instant NOW = Instant.parse("2026-11-18T10:00:00Z");

  private static String left(Duration duration) {
    return TimeLeft.describe(NOW, NOW.plus(duration));
  }

  @Test
  void minutesRoundUpSoTheLastSecondsStillShowAMinute() {
    assertThat(left(Duration.ofSeconds(1))).isEqualTo("1 min");
    assertThat(left(Duration.ofMinutes(12))).isEqualTo("12 min");
  }

  @Test
  void hoursAndMinutesUnderADayDaysAndHoursBeyond() {
    assertThat(left(Duration.ofMinutes(200))).isEqualTo("3 h 20 min");
    assertThat(left(Duration.ofHours(3))).isEqualTo("3 h");
    assertThat(left(Duration.ofHours(52).plusMinutes(5))).isEqualTo("2 d 4 h");
  }

  @Test
  void atOrPastTheEndThereIsNoTimeLeft() {
    assertThat(left(Duration.ZERO)).isEqualTo("no time");
    assertThat(left(Duration.ofMinutes(-5))).isEqualTo("no time");
    assertThat(TimeLeft.isOver(NOW, NOW)).isTrue();
    assertThat(TimeLeft.isOver(NOW, NOW.plusSeconds(1))).isFalse();
  }
}
