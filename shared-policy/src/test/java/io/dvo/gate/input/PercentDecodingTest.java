package io.dvo.gate.input;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PercentDecodingTest {
  private static final String GRINNING = "\uD83D\uDE00"; // 😀, outside the BMP
  private static final String BEAMING = "\uD83D\uDE01"; // 😁

  @Test
  void rawCharactersOutsideTheBmpSurviveNextToAnEscape() {
    assertThat(PercentDecoding.segment("%41" + GRINNING)).isEqualTo("A" + GRINNING);
    assertThat(PercentDecoding.segment(GRINNING + "%41")).isEqualTo(GRINNING + "A");
    assertThat(PercentDecoding.segment("%41" + GRINNING))
        .isNotEqualTo(PercentDecoding.segment("%41" + BEAMING));
    assertThat(PercentDecoding.formValue("x=" + GRINNING + "%20")).isEqualTo("x=" + GRINNING + " ");
  }

  @Test
  void escapedAndRawFormsOfOneCharacterDecodeAlike() {
    assertThat(PercentDecoding.segment("%F0%9F%98%80")).isEqualTo(GRINNING);
    assertThat(PercentDecoding.segment("caf%C3%A9")).isEqualTo("café");
    assertThat(PercentDecoding.segment("caf%c3%a9")).isEqualTo("café");
  }

  @Test
  void brokenEncodingsAreNullNeverAReplacementCharacter() {
    assertThat(PercentDecoding.segment("%FF")).isNull();
    assertThat(PercentDecoding.segment("%C3")).isNull(); // truncated sequence
    assertThat(PercentDecoding.segment("%4")).isNull();
    assertThat(PercentDecoding.segment("%")).isNull();
    assertThat(PercentDecoding.segment("%zz")).isNull();
    assertThat(PercentDecoding.segment("%41\uD83D")).as("unpaired surrogate").isNull();
    assertThat(PercentDecoding.formValue("%E2%82")).isNull();
  }

  @Test
  void plusIsASpaceOnlyInFormText() {
    assertThat(PercentDecoding.segment("a+b%20c")).isEqualTo("a+b c");
    assertThat(PercentDecoding.formValue("a+b%20c")).isEqualTo("a b c");
    assertThat(PercentDecoding.formValue("a%2Bb")).isEqualTo("a+b");
    assertThat(PercentDecoding.segment("plain")).isEqualTo("plain");
  }
}
