package io.dvo.gate.signin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** After sign-in a browser goes to a page of this gate, never to another site. */
class ReturnToTest {
  @Test
  void pathsOnThisSiteAreKept() {
    assertThat(ReturnTo.parse("/api/v1/approvals/acme/apr-1/review"))
        .contains("/api/v1/approvals/acme/apr-1/review");
    assertThat(ReturnTo.parse("/?status=pending&env=prod")).contains("/?status=pending&env=prod");
    assertThat(ReturnTo.parse(null)).contains("/");
    assertThat(ReturnTo.parse(" ")).contains("/");
  }

  @Test
  void anythingThatCouldLeaveTheSiteIsRefused() {
    for (String away :
        new String[] {
          "https://evil.example/",
          "//evil.example/path",
          "/\\evil.example",
          "\\\\evil.example",
          "evil.example",
          "javascript:alert(1)",
          "/ok\r\nLocation: https://evil.example",
          "/path with space",
          "/a#fragment",
          "/" + "a".repeat(3000)
        }) {
      assertThat(ReturnTo.parse(away)).as(away).isEmpty();
    }
  }
}
