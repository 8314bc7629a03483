package io.dvo.gate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GateClientConfigTest {
  private static final String SECRET = "s3cr3t-function-key";

  @Test
  void httpsIsRequiredForRemoteHosts() {
    assertThatThrownBy(
            () ->
                GateClientConfig.of(
                    URI.create("http://gate.example.com"), SECRET, CredentialHeader.API_KEY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https");
  }

  @Test
  void plainHttpIsAcceptedForLoopbackHosts() {
    for (String url :
        new String[] {"http://localhost:7071", "http://127.0.0.1:8080", "http://[::1]:9000"}) {
      assertThat(GateClientConfig.of(URI.create(url), null, CredentialHeader.NONE).baseUrl())
          .isEqualTo(URI.create(url));
    }
  }

  @Test
  void otherSchemesAreRefused() {
    assertThatThrownBy(
            () -> GateClientConfig.of(URI.create("ftp://localhost"), null, CredentialHeader.NONE))
        .hasMessageContaining("https");
  }

  @Test
  void baseUrlLosesTrailingSlashAndApiPrefix() {
    GateClientConfig c =
        GateClientConfig.of(
            URI.create("https://gate.example.com/api/v1/"), SECRET, CredentialHeader.API_KEY);
    assertThat(c.baseUrl()).isEqualTo(URI.create("https://gate.example.com"));
    assertThat(c.apiRoot()).isEqualTo(URI.create("https://gate.example.com/api/v1"));
  }

  @Test
  void secretsInTheUrlAreRefusedWithoutEchoingThem() {
    assertThatThrownBy(
            () ->
                GateClientConfig.of(
                    URI.create("https://gate.example.com/?code=" + SECRET),
                    SECRET,
                    CredentialHeader.API_KEY))
        .hasMessageContaining("query")
        .hasMessageNotContaining(SECRET);
    assertThatThrownBy(
            () ->
                GateClientConfig.of(
                    URI.create("https://user:" + SECRET + "@gate.example.com"),
                    SECRET,
                    CredentialHeader.API_KEY))
        .hasMessageContaining("user info")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void aSecretIsRequiredUnlessTheHeaderIsNone() {
    assertThatThrownBy(
            () ->
                GateClientConfig.of(
                    URI.create("https://gate.example.com"),
                    " ",
                    CredentialHeader.AUTHORIZATION_BEARER))
        .hasMessageContaining("secret is required");
    assertThat(
            GateClientConfig.of(URI.create("http://localhost"), "ignored", CredentialHeader.NONE)
                .secret())
        .isNull();
  }

  @Test
  void aSecretWithANewlineIsRefused() {
    assertThatThrownBy(
            () ->
                GateClientConfig.of(
                    URI.create("https://gate.example.com"),
                    "abc\r\nX-Evil: 1",
                    CredentialHeader.API_KEY))
        .hasMessageContaining("control characters")
        .hasMessageNotContaining("abc");
  }

  @Test
  void toStringNeverPrintsTheSecret() {
    GateClientConfig c =
        GateClientConfig.of(
            URI.create("https://gate.example.com"), SECRET, CredentialHeader.AUTHORIZATION_BEARER);
    assertThat(c.toString()).doesNotContain(SECRET).contains("****").contains("gate.example.com");
  }

  @Test
  void timeoutsAndRetriesAreChecked() {
    GateClientConfig c =
        GateClientConfig.of(URI.create("http://localhost"), null, CredentialHeader.NONE);
    assertThatThrownBy(() -> c.withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("connectTimeout");
    assertThatThrownBy(() -> c.withRetries(-1, Duration.ofMillis(1), Duration.ofMillis(2)))
        .hasMessageContaining("maxRetries");
    assertThatThrownBy(() -> c.withRetries(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("maxBackoff");
  }

  @Test
  void loopbackDetectionDoesNotTrustLookalikes() {
    assertThat(GateClientConfig.isLoopbackHost("localhost.evil.com")).isFalse();
    assertThat(GateClientConfig.isLoopbackHost("127.0.0.1.nip.io")).isFalse();
    assertThat(GateClientConfig.isLoopbackHost("127.0.0.1")).isTrue();
  }
}
