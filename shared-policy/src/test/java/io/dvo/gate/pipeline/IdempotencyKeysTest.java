package io.dvo.gate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {
  @Test
  void aShortKeyIsReadable() {
    assertThat(IdempotencyKeys.forStep("https://ci/job/deploy/42/", "17"))
        .isEqualTo("jenkins:https://ci/job/deploy/42/#17");
  }

  @Test
  void differentStepsOfOneBuildGetDifferentKeys() {
    assertThat(IdempotencyKeys.forStep("https://ci/job/deploy/42/", "17"))
        .isNotEqualTo(IdempotencyKeys.forStep("https://ci/job/deploy/42/", "18"));
  }

  @Test
  void aLongKeyIsHashedToABoundedStableValue() {
    String url = "https://ci.example.com/" + "job/folder/".repeat(40) + "42/";
    String key = IdempotencyKeys.forStep(url, "17");

    assertThat(key).startsWith("jenkins:sha256:").hasSize("jenkins:sha256:".length() + 64);
    assertThat(IdempotencyKeys.forStep(url, "17")).isEqualTo(key);
    assertThat(IdempotencyKeys.forStep(url, "18")).isNotEqualTo(key);
  }

  @Test
  void buildUrlAndNodeIdAreRequired() {
    assertThatThrownBy(() -> IdempotencyKeys.forStep(" ", "1")).hasMessageContaining("build URL");
    assertThatThrownBy(() -> IdempotencyKeys.forStep("https://ci/1/", null))
        .hasMessageContaining("flow node id");
  }

  @Property
  void keysAreStableAndBounded(
      // URL characters only: jqwik's "not blank" admits code points String.isBlank() treats as
      // whitespace (e.g. U+001C), which made this property fail at random.
      @ForAll
          @AlphaChars
          @NumericChars
          @Chars({':', '/', '.', '-', '_', '#', '%'})
          @StringLength(min = 1, max = 600)
          String url,
      @ForAll @AlphaChars @StringLength(min = 1, max = 10) String node) {
    String key = IdempotencyKeys.forStep(url, node);
    assertThat(key).hasSizeLessThanOrEqualTo(IdempotencyKeys.MAX_LENGTH);
    assertThat(IdempotencyKeys.forStep(url, node)).isEqualTo(key);
  }
}
