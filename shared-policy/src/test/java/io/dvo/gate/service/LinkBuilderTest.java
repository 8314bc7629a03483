package io.dvo.gate.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinkBuilderTest {

  @Test
  void linksFollowTheApiPathsWhateverTheBaseUrlsTrailingSlash() {
    for (String base : new String[] {"https://gate.acme.io", "https://gate.acme.io/"}) {
      LinkBuilder links = LinkBuilder.under(base);

      assertThat(links.statusUrl("acme", "apr_abc"))
          .isEqualTo("https://gate.acme.io/api/v1/approvals/acme/apr_abc");
      assertThat(links.reviewUrl("acme", "apr_abc"))
          .isEqualTo("https://gate.acme.io/api/v1/approvals/acme/apr_abc/review");
      assertThat(links.overviewUrl("acme")).isEqualTo("https://gate.acme.io/?tenant=acme");
    }
  }

  @Test
  void pathSegmentsAreEncoded() {
    assertThat(LinkBuilder.under("https://g.io").statusUrl("a b/c", "x?y"))
        .isEqualTo("https://g.io/api/v1/approvals/a%20b%2Fc/x%3Fy");
    assertThat(LinkBuilder.under("https://g.io").overviewUrl("a&b c"))
        .isEqualTo("https://g.io/?tenant=a%26b%20c");
  }
}
