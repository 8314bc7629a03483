package io.dvo.gate.review;

import io.dvo.gate.identity.Principal;
import io.dvo.gate.identity.RequestOrigin;

/**
 * Where the review page reports what it refused a signed-in person (the audit trail's {@code
 * review.sign_in_refused}, wired by the composition root). Called at most once per request, with
 * the one refusal that answered it.
 */
@FunctionalInterface
public interface ReviewRefusals {
  ReviewRefusals NONE = (tenantId, approvalId, viewer, why, detail, origin) -> {};

  /** Why the page refused. */
  enum Why {
    /** The person may not act for the link's tenant (403, GET or POST). */
    NOT_IN_TENANT("not_in_tenant"),
    /** The browser said the form came from another site (Sec-Fetch-Site: cross-site). */
    CROSS_SITE("cross_site"),
    /** The form's CSRF token is missing, forged, too old, or issued to someone else. */
    CSRF_INVALID("csrf_invalid"),
    /** The person holds none of the approval's roles and is not a listed approver. */
    NOT_AN_APPROVER("not_an_approver"),
    /** The person requested or initiated the run and tried to approve or reject it. */
    OWN_REQUEST("own_request");

    private final String wireName;

    Why(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  void refused(
      String tenantId,
      String approvalId,
      Principal viewer,
      Why why,
      String detail,
      RequestOrigin origin);
}
