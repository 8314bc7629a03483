package io.dvo.gate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ReviewLinksTest {
  private static final URI GATE = URI.create("https://gate.example.com");

  @Test
  void aLinkOnTheGatesOriginIsKept() {
    assertThat(
            ReviewLinks.onGateOrigin(
                GATE, "https://gate.example.com/api/v1/approvals/acme/apr-1/review"))
        .contains("https://gate.example.com/api/v1/approvals/acme/apr-1/review");
    assertThat(ReviewLinks.onGateOrigin(GATE, "https://GATE.example.com:443/r"))
        .contains("https://GATE.example.com:443/r");
  }

  @Test
  void aPathIsResolvedAgainstTheGate() {
    assertThat(ReviewLinks.onGateOrigin(GATE, "/api/v1/approvals/acme/apr-1/review"))
        .contains("https://gate.example.com/api/v1/approvals/acme/apr-1/review");
  }

  @Test
  void otherSchemesHostsAndPortsAreRefused() {
    assertThat(ReviewLinks.onGateOrigin(GATE, "javascript:alert(1)")).isEmpty();
    assertThat(ReviewLinks.onGateOrigin(GATE, "JavaScript://gate.example.com/%0Aalert(1)"))
        .isEmpty();
    assertThat(ReviewLinks.onGateOrigin(GATE, "data:text/html,<script>x</script>")).isEmpty();
    assertThat(ReviewLinks.onGateOrigin(GATE, "https://evil.example.com/review")).isEmpty();
    assertThat(ReviewLinks.onGateOrigin(GATE, "https://gate.example.com.evil.net/r")).isEmpty();
    assertThat(ReviewLinks.onGateOrigin(GATE, "http://gate.example.com/review")).isEmpty();
    assertThat(ReviewLinks.onGateOrigin(GATE, "https://gate.example.com:8443/review")).isEmpty();
    assertThat(ReviewLinks.onGateOrigin(GATE, "https://me@gate.example.com/review")).isEmpty();
    assertThat(ReviewLinks.onGateOrigin(GATE, "//evil.example.com/review")).isEmpty();
    assertThat(ReviewLinks.onGateOrigin(GATE, "not a url")).isEmpty();
    assertThat(ReviewLinks.onGateOrigin(GATE, "")).isEmpty();
    assertThat(ReviewLinks.onGateOrigin(GATE, null)).isEmpty();
  }

  @Test
  void aLocalHttpGateKeepsItsOwnLinks() {
    URI local = URI.create("http://127.0.0.1:7071");

    assertThat(ReviewLinks.onGateOrigin(local, "http://127.0.0.1:7071/api/v1/x"))
        .contains("http://127.0.0.1:7071/api/v1/x");
    assertThat(ReviewLinks.onGateOrigin(local, "http://127.0.0.1:7072/api/v1/x")).isEmpty();
  }
}
