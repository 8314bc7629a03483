package io.dvo.gate.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.FieldError;
import io.dvo.gate.input.Checked;
import io.dvo.gate.json.Json;
import org.junit.jupiter.api.Test;

class OutcomeRequestShapeTest {
  @Test
  void anUnknownFieldIsWordedAsEveryOtherParserWordsIt() throws Exception {
    Checked<OutcomeRequest, FieldError> parsed =
        OutcomeRequest.parse(
            Json.mapper().readTree("{\"status\":\"failed\",\"artifact\":{\"tag\":\"v1\"}}"));
    assertThat(parsed.describe())
        .isEqualTo("$.artifact.tag: unknown field \"tag\"; expected one of version, commit");
  }
}
