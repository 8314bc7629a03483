package io.dvo.gate.approval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApprovalIdsTest {

  @Test
  void sameTenantAndKeyAlwaysGiveTheSameId() {
    assertThat(ApprovalIds.forKey("acme", "build-42/step-7"))
        .isEqualTo(ApprovalIds.forKey("acme", "build-42/step-7"));
  }

  @Test
  void idsStayStableAcrossVersions() {
    // Stored approvals are found by this id: changing the derivation would orphan them.
    // Expected value computed independently (Python hashlib + base64.b32encode).
    assertThat(ApprovalIds.forKey("acme", "build-42/step-7"))
        .isEqualTo("apr_m5g7iogq6m4dyhm3vchaipvbgg43webs");
  }

  @Test
  void differentTenantOrKeyGivesADifferentId() {
    String id = ApprovalIds.forKey("acme", "k");
    assertThat(ApprovalIds.forKey("globex", "k")).isNotEqualTo(id);
    assertThat(ApprovalIds.forKey("acme", "k2")).isNotEqualTo(id);
  }

  @Test
  void tenantAndKeyAreSeparatedSoConcatenationsDoNotCollide() {
    assertThat(ApprovalIds.forKey("ab", "c")).isNotEqualTo(ApprovalIds.forKey("a", "bc"));
  }

  @Test
  void idIsUrlSafeCarriesAtLeast128BitsAndRevealsNothing() {
    String id = ApprovalIds.forKey("acme", "https://jenkins.example/job/x/42/?token=s3cret");

    assertThat(id).matches("apr_[a-z2-7]{32}");
    assertThat((id.length() - 4) * 5).isGreaterThanOrEqualTo(128);
    assertThat(id).doesNotContain("acme").doesNotContain("s3cret");
    assertThat(ApprovalIds.isWellFormed(id)).isTrue();
  }

  @Test
  void isWellFormedRejectsOtherShapes() {
    assertThat(ApprovalIds.isWellFormed(null)).isFalse();
    assertThat(ApprovalIds.isWellFormed("apr_")).isFalse();
    assertThat(ApprovalIds.isWellFormed("apr_M5G7IOGQ6M4DYHM3VCHAIPVBGG43WEBS")).isFalse();
    assertThat(ApprovalIds.isWellFormed("xyz_m5g7iogq6m4dyhm3vchaipvbgg43webs")).isFalse();
    assertThat(ApprovalIds.isWellFormed("apr_../../etc/passwd0000000000000000")).isFalse();
  }
}
