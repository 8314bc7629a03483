package io.dvo.gate.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.identity.Actor;
import io.dvo.gate.store.contract.ContractData;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ApprovalRecordBuilderTest {
  private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

  @Test
  void toBuilderKeepsEveryComponent() {
    ApprovalEvent charged =
        new ApprovalEvent(AT, ApprovalEvent.CREATED, new Actor("ci", "", ""), "charged");
    ApprovalRecord record =
        ContractData.pending("acme", "apr-1", AT).withCharged(7, AT.plusSeconds(5), charged);
    assertThat(record.toBuilder().build()).isEqualTo(record);
  }

  @Test
  void withersChangeOnlyWhatTheyName() {
    ApprovalRecord record = ContractData.pending("acme", "apr-1", AT);
    ApprovalEvent event =
        new ApprovalEvent(AT, ApprovalEvent.CREATED, new Actor("root", "", ""), "done");
    ApprovalRecord resolved = record.resolved(ApprovalStatus.CANCELLED, AT, "stop", event);
    assertThat(resolved.status()).isEqualTo(ApprovalStatus.CANCELLED);
    assertThat(resolved.resolvedAt()).isEqualTo(AT);
    assertThat(resolved.statusReason()).isEqualTo("stop");
    assertThat(resolved.history()).endsWith(event).hasSize(record.history().size() + 1);
    assertThat(
            resolved.toBuilder()
                .status(record.status())
                .resolvedAt(null)
                .statusReason(null)
                .history(record.history())
                .build())
        .isEqualTo(record);
    ApprovalRecord charged = record.withCharged(3, AT, event);
    assertThat(charged.charged()).isTrue();
    assertThat(charged.chargedCredits()).isEqualTo(3L);
    assertThat(charged.startBy()).isEqualTo(record.startBy());
  }

  @Test
  void buildStillChecksWhatIsRequired() {
    assertThatThrownBy(() -> ApprovalRecord.builder().tenantId("acme").build())
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("id");
  }
}
