package io.dvo.gate.config;

import io.dvo.gate.audit.AuditActor;
import io.dvo.gate.audit.AuditEventType;
import io.dvo.gate.audit.AuditReason;
import io.dvo.gate.audit.AuditSubject;
import io.dvo.gate.audit.RefusalAudit;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.identity.RequestOrigin;
import io.dvo.gate.review.ReviewRefusals;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Records the review page's refusals as {@code review.sign_in_refused} events, bounded per client
 * address ({@link RefusalAudit}). The tenant is the link's, when it is a tenant id; else the system
 * trail. A trail that cannot record is logged; the page stays refused.
 */
final class ReviewRefusalAudit implements ReviewRefusals {
  private static final Logger LOG = Logger.getLogger("io.dvo.gate.audit");
  private static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern APPROVAL_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final RefusalAudit refusals;

  ReviewRefusalAudit(RefusalAudit refusals) {
    this.refusals = refusals;
  }

  @Override
  public void refused(
      String tenantId,
      String approvalId,
      Principal viewer,
      Why why,
      String detail,
      RequestOrigin origin) {
    boolean tenantOk = tenantId != null && TENANT_ID.matcher(tenantId).matches();
    String approval =
        approvalId != null && APPROVAL_ID.matcher(approvalId).matches() ? approvalId : null;
    try {
      refusals.record(
          refusals
              .trail()
              .event(
                  tenantOk ? tenantId : RefusalAudit.SYSTEM_TENANT,
                  AuditEventType.REVIEW_SIGN_IN_REFUSED)
              .severity(why == Why.OWN_REQUEST || why == Why.CROSS_SITE ? 6 : 5)
              .actor(
                  new AuditActor(
                      viewer == null ? null : viewer.id(),
                      null,
                      viewer == null ? List.of() : List.copyOf(viewer.roles())))
              .subject(new AuditSubject(null, null, approval, null, null))
              .outcome("refused")
              .origin(origin)
              .reasons(List.of(new AuditReason(why.wireName(), detail)))
              .detail("reason", why.wireName())
              .build());
    } catch (RuntimeException e) {
      LOG.warning(
          "a review page refusal could not be recorded (" + e.getClass().getSimpleName() + ")");
    }
  }
}
