package io.dvo.gate.audit;

/** What the event is about; every part may be null when it does not apply. */
public record AuditSubject(
    String agentId,
    String environment,
    String approvalId,
    String idempotencyKey,
    String requestFingerprint) {

  public static AuditSubject none() {
    return new AuditSubject(null, null, null, null, null);
  }
}
