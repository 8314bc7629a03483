package io.dvo.gate.admin;

import io.dvo.gate.api.Page;
import io.dvo.gate.api.Roles;
import io.dvo.gate.audit.AuditEvent;
import io.dvo.gate.audit.AuditQuery;
import io.dvo.gate.audit.AuditReader;
import io.dvo.gate.audit.AuditStore;
import io.dvo.gate.audit.AuditVerification;
import io.dvo.gate.identity.Principal;
import java.util.Objects;

/**
 * Reading a tenant's audit trail: a page of events and a check of its hash chain, for {@value
 * Roles#ADMIN} or {@value Roles#AUDITOR} of tenants they may act for. The HTTP handlers only
 * translate (query parameters in, JSON, NDJSON or CEF out). Refusals are {@link AdminException}s.
 */
public final class AuditReadService {
  private final AuditStore store;

  public AuditReadService(AuditStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** A verified chain's figures: the verification and the sequence the chain starts after. */
  public record ChainCheck(AuditVerification verification, long anchorSequence) {}

  /**
   * One page of {@code tenant}'s events matching {@code query}.
   *
   * @param continuation a previous page's continuation, or null for the first page
   */
  public Page<AuditEvent> page(
      Principal who, String tenant, AuditQuery query, String continuation) {
    authorise(who, tenant);
    try {
      return AuditReader.page(store, tenant, query, continuation);
    } catch (IllegalArgumentException e) {
      throw AdminException.invalid(
          "continuation is not one this endpoint gave.",
          "continuation",
          "use the continuation of the previous page");
    }
  }

  /** Verifies {@code tenant}'s stored chain from its anchor. */
  public ChainCheck verify(Principal who, String tenant) {
    authorise(who, tenant);
    AuditVerification verification = AuditReader.verify(store, tenant);
    return new ChainCheck(verification, store.anchor(tenant).sequence());
  }

  /** Refuses unless {@code who} may read {@code tenant}'s audit trail. */
  public void authorise(Principal who, String tenant) {
    AdminAccess.require(who, tenant, Roles.ADMIN, Roles.AUDITOR);
  }
}
