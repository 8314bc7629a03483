package io.dvo.gate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiPathsTest {
  @Test
  void expandFillsTheVariablesInOrder() {
    assertThat(ApiPaths.expand(ApiPaths.APPROVAL_START, "acme", "apr-1"))
        .isEqualTo("/approvals/acme/apr-1/start");
    assertThat(ApiPaths.full(ApiPaths.expand(ApiPaths.QUOTA_USAGE, "a%2Fb")))
        .isEqualTo("/api/v1/quotas/a%2Fb/usage");
    assertThat(ApiPaths.expand(ApiPaths.GATE)).isEqualTo("/gate");
  }

  @Test
  void expandRefusesTheWrongNumberOfSegments() {
    assertThatThrownBy(() -> ApiPaths.expand(ApiPaths.APPROVAL, "acme"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ApiPaths.expand(ApiPaths.QUOTA, "acme", "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theFunctionsPrefixAndTheRootAgree() {
    assertThat(ApiPaths.ROOT).isEqualTo("/" + ApiPaths.VERSION).isEqualTo("/api/v1");
  }
}
