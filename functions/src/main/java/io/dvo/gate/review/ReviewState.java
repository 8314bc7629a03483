package io.dvo.gate.review;

import io.dvo.gate.approval.ApprovalError;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.view.QuotaNow;
import java.time.Instant;

/**
 * What the controller decided for one rendering of the review page, before it is worded ({@link
 * ReviewPage} turns it into the template's {@link ReviewView}).
 *
 * @param refusal why the viewer cannot decide, or null when they may (then {@code csrf} is set)
 * @param refusalMessage the refusal for people, e.g. "Rita requested this run and cannot approve
 *     it"
 * @param notice a banner at the top (after a decision, or a form problem); may be null
 * @param noticeIsError whether the banner reports a problem (announced as an alert)
 * @param rejectError a problem with the reject form (missing reason), shown at its field
 * @param quota the tenant's credit position now, or null when it could not be read (the page then
 *     shows the snapshot taken at request time, labelled so)
 * @param trail the approval's audit events, or null without a trail (or when it could not be read)
 * @param trailUnavailable the trail exists but could not be read now
 */
record ReviewState(
    ApprovalRecord record,
    Principal viewer,
    ApprovalError refusal,
    String refusalMessage,
    String csrf,
    Instant now,
    String notice,
    boolean noticeIsError,
    String rejectError,
    QuotaNow quota,
    ApprovalTrail.Excerpt trail,
    boolean trailUnavailable) {

  boolean mayDecide() {
    return refusal == null && csrf != null;
  }
}
