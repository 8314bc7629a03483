package io.dvo.gate.audit;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What an audit event records. The wire name is also the CEF signature id. */
public enum AuditEventType {
  GATE_DECISION("gate.decision", "Gate decision"),
  GATE_EVALUATION("gate.evaluation", "Dry-run evaluation"),
  GATE_KEY_REUSED("gate.key_reused", "Idempotency key reused for another request"),
  APPROVAL_OPENED("approval.opened", "Approval opened"),
  APPROVAL_VOTED("approval.voted", "Approval vote"),
  APPROVAL_REJECTED("approval.rejected", "Approval rejected"),
  APPROVAL_CANCELLED("approval.cancelled", "Approval cancelled"),
  APPROVAL_EXPIRED("approval.expired", "Approval expired"),
  APPROVAL_STARTED("approval.started", "Approved run started"),
  QUOTA_CHARGED("quota.charged", "Quota charged"),
  QUOTA_SETTINGS_CHANGED("quota.settings_changed", "Quota settings changed"),
  CALENDAR_CHANGED("calendar.changed", "Tenant calendar changed"),
  POLICY_CREATED("policy.created", "Policy created"),
  POLICY_REPLACED("policy.replaced", "Policy replaced"),
  POLICY_DISABLED("policy.disabled", "Policy disabled"),
  POLICY_DELETED("policy.deleted", "Policy deleted"),
  AUTH_API_KEY_FAILED("auth.api_key_failed", "API key authentication failed"),
  REVIEW_SIGN_IN_REFUSED("review.sign_in_refused", "Review page sign-in refused"),
  AUDIT_RETENTION("audit.retention", "Audit events removed by retention");

  private final String wireName;
  private final String title;

  AuditEventType(String wireName, String title) {
    this.wireName = wireName;
    this.title = title;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** A short human name (CEF {@code Name}). */
  public String title() {
    return title;
  }

  public static Optional<AuditEventType> fromWire(String name) {
    String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(t -> t.wireName.equals(wanted)).findFirst();
  }
}
