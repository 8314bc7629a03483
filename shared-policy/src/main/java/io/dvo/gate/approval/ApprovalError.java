package io.dvo.gate.approval;

/** Why an approval operation was refused. Each maps to one HTTP status in the API. */
public enum ApprovalError {
  /** No such approval for this tenant (404). */
  NOT_FOUND,
  /** Already approved, rejected, expired or cancelled (409). */
  NOT_PENDING,
  /** Past its expiry time (409). */
  EXPIRED,
  /** Holds none of the required roles and is not a listed user (403). */
  NOT_AN_APPROVER,
  /** The requester can never approve their own request (403). */
  OWN_REQUEST,
  /** This person has already voted (409). */
  ALREADY_VOTED,
  /** A rejection needs a reason (400). */
  REASON_REQUIRED,
  /** Only the requester or an admin may cancel (403). */
  NOT_ALLOWED_TO_CANCEL,
  /** Concurrent writes kept winning; the caller may retry (409). */
  CONFLICT
}
