package io.dvo.gate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Query strings and form bodies are one format, read by one parser. */
class UrlEncodedTest {
  @Test
  void queryAndFormReadTheSameTextAlike() {
    String text = "reason=not+this%20week&csrf=a%2Bb&reason=second&flag";
    assertThat(UrlEncoded.query(text))
        .isEqualTo(UrlEncoded.form(text.getBytes(StandardCharsets.UTF_8)))
        .containsEntry("reason", "not this week")
        .containsEntry("csrf", "a+b")
        .containsEntry("flag", "")
        .hasSize(3);
  }

  @Test
  void aBrokenEncodingIsA400NamingWhereItWas() {
    assertThatThrownBy(() -> UrlEncoded.query("wait_seconds=%FF"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage()).contains("query string");
            });
    assertThatThrownBy(() -> UrlEncoded.form("reason=%".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.getMessage()).contains("form body"));
  }

  @Test
  void nothingIsNoParameters() {
    assertThat(UrlEncoded.query(null)).isEmpty();
    assertThat(UrlEncoded.query("")).isEmpty();
    assertThat(UrlEncoded.form(new byte[0])).isEmpty();
  }
}
