package io.dvo.gate.approval;

import io.dvo.gate.api.Initiator;
import io.dvo.gate.identity.Actor;

/**
 * Who asked for a run, in words for approvers (review page, Teams card): the person behind it and
 * the pipeline that asked, "U One &lt;u1@example.com&gt; via jenkins-prod", or the pipeline alone
 * when it named nobody.
 */
public final class RequestedBy {
  /** Said where the initiator would be shown when the pipeline asserted none. */
  public static final String NO_INITIATOR = "none asserted by the pipeline";

  private RequestedBy() {}

  public static String describe(ApprovalRecord record) {
    Initiator initiator = record.initiator();
    if (initiator == null) {
      return person(record.requester());
    }
    return person(initiator.asActor()) + " via " + record.requester().label();
  }

  /** "Name &lt;e-mail&gt;", or the label alone when there is no other e-mail to show. */
  static String person(Actor actor) {
    String label = actor.label();
    String email = actor.email();
    return email.isBlank() || email.equals(label) ? label : label + " <" + email + ">";
  }
}
