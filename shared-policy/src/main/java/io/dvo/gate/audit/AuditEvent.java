package io.dvo.gate.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One event of a tenant's audit trail, in its place in the tenant's hash chain: {@code sequence}
 * counts from 1 without gaps, {@code previousHash} is the {@link #hash} of the event before it (the
 * {@link AuditChain#GENESIS} value for the first), and {@code hash} is the SHA-256 of this event's
 * canonical JSON form without {@code hash} itself ({@link AuditChain#hashOf}).
 */
public record AuditEvent(
    String id,
    String tenantId,
    long sequence,
    Instant time,
    AuditEventType type,
    int severity,
    AuditActor actor,
    AuditSubject subject,
    String outcome,
    List<AuditReason> reasons,
    List<String> matchedRules,
    String packVersion,
    String clientAddress,
    String correlationId,
    boolean dryRun,
    Map<String, String> details,
    String previousHash,
    String hash) {

  public AuditEvent {
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
    matchedRules = matchedRules == null ? List.of() : List.copyOf(matchedRules);
    details = details == null ? Map.of() : Map.copyOf(details);
    actor = actor == null ? AuditActor.anonymous() : actor;
    subject = subject == null ? AuditSubject.none() : subject;
  }

  AuditEvent withHash(String newHash) {
    return new AuditEvent(
        id,
        tenantId,
        sequence,
        time,
        type,
        severity,
        actor,
        subject,
        outcome,
        reasons,
        matchedRules,
        packVersion,
        clientAddress,
        correlationId,
        dryRun,
        details,
        previousHash,
        newHash);
  }
}
