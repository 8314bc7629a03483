package io.dvo.gate.audit;

import io.dvo.gate.identity.RequestOrigin;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An audit event before the store places it in its tenant's chain (no sequence, no hashes yet).
 *
 * @param details small facts of the event type (usage before/after a charge, the changed quota
 *     settings, a policy id), as strings; never secrets
 * @param severity 0 (lowest) to 10, as CEF counts
 */
public record AuditDraft(
    String id,
    String tenantId,
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
    Map<String, String> details) {

  /** CEF "high": an emergency approval opened, voted on, decided or started. */
  public static final int BREAK_GLASS_SEVERITY = 8;

  /** An emergency was asked for but did not become a break-glass approval (refused, or moot). */
  public static final int EMERGENCY_SEVERITY = 7;

  public AuditDraft {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(type, "type");
    if (severity < 0 || severity > 10) {
      throw new IllegalArgumentException("severity must be 0 to 10");
    }
    actor = actor == null ? AuditActor.anonymous() : actor;
    subject = subject == null ? AuditSubject.none() : subject;
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
    matchedRules = matchedRules == null ? List.of() : List.copyOf(matchedRules);
    details = details == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(details));
    // Instants are kept to the millisecond: every store and export writes them the same way.
    time = Instant.ofEpochMilli(time.toEpochMilli());
  }

  /**
   * The event this draft becomes at {@code sequence}, after the event whose hash is {@code prev}.
   */
  public AuditEvent seal(long sequence, String previousHash) {
    return sealStored(sequence, previousHash).event();
  }

  /**
   * As {@link #seal}, with the event's {@link AuditChain#storedForm} made in the same pass (what a
   * store writes inside its transaction).
   */
  public AuditChain.Sealed sealStored(long sequence, String previousHash) {
    AuditEvent unhashed =
        new AuditEvent(
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
            null);
    return AuditChain.seal(unhashed);
  }

  /** Builds a draft; unset parts are empty. */
  public static final class Builder {
    private final String id;
    private final String tenantId;
    private final Instant time;
    private final AuditEventType type;
    private int severity = 3;
    private AuditActor actor;
    private AuditSubject subject;
    private String outcome;
    private List<AuditReason> reasons;
    private List<String> matchedRules;
    private String packVersion;
    private String clientAddress;
    private String correlationId;
    private boolean dryRun;
    private int emergencySeverity;
    private final Map<String, String> details = new TreeMap<>();

    public Builder(String id, String tenantId, Instant time, AuditEventType type) {
      this.id = id;
      this.tenantId = tenantId;
      this.time = time;
      this.type = type;
    }

    public Builder severity(int value) {
      this.severity = value;
      return this;
    }

    public Builder actor(AuditActor value) {
      this.actor = value;
      return this;
    }

    public Builder subject(AuditSubject value) {
      this.subject = value;
      return this;
    }

    public Builder outcome(String value) {
      this.outcome = value;
      return this;
    }

    public Builder reasons(List<AuditReason> value) {
      this.reasons = value;
      return this;
    }

    public Builder matchedRules(List<String> value) {
      this.matchedRules = value;
      return this;
    }

    public Builder packVersion(String value) {
      this.packVersion = value;
      return this;
    }

    public Builder clientAddress(String value) {
      this.clientAddress = value;
      return this;
    }

    public Builder correlationId(String value) {
      this.correlationId = value;
      return this;
    }

    /** The correlation id and client address of the request that caused the event. */
    public Builder origin(RequestOrigin value) {
      RequestOrigin origin = value == null ? RequestOrigin.NONE : value;
      this.correlationId = origin.correlationId();
      this.clientAddress = origin.clientAddress();
      return this;
    }

    public Builder dryRun(boolean value) {
      this.dryRun = value;
      return this;
    }

    /**
     * Marks an event about a request that asked for an emergency (break-glass): details {@code
     * emergency}, {@code break_glass} and {@code emergency_ticket}, and at least {@link
     * #BREAK_GLASS_SEVERITY} when it became a break-glass approval (or the run one approved), else
     * at least {@link #EMERGENCY_SEVERITY}, whatever {@link #severity} says.
     */
    public Builder emergency(String ticket, boolean breakGlass) {
      detail("emergency", "true");
      detail("break_glass", String.valueOf(breakGlass));
      detail("emergency_ticket", ticket);
      emergencySeverity = breakGlass ? BREAK_GLASS_SEVERITY : EMERGENCY_SEVERITY;
      return this;
    }

    /** A detail; null values are left out. */
    public Builder detail(String name, Object value) {
      if (value != null) {
        details.put(name, String.valueOf(value));
      }
      return this;
    }

    public AuditDraft build() {
      return new AuditDraft(
          id,
          tenantId,
          time,
          type,
          Math.max(severity, emergencySeverity),
          actor,
          subject,
          outcome,
          reasons,
          matchedRules,
          packVersion,
          clientAddress,
          correlationId,
          dryRun,
          details);
    }
  }
}
