package io.dvo.gate.audit;

/**
 * The outcome of walking a chain: how many events were checked and, when it is not intact, the
 * first problem found.
 */
public record AuditVerification(
    boolean intact, long checked, long lastSequence, String lastHash, Problem problem) {

  /** What is wrong with the chain at the first bad event. */
  public enum Kind {
    /** The event's content no longer matches its hash: it was changed. */
    ALTERED,
    /** The event does not name the hash of the event before it. */
    BROKEN_LINK,
    /** Sequence numbers jump: events in between are missing. */
    MISSING,
    /** Events are out of order (or one appears twice). */
    REORDERED,
    /** A signed checkpoint does not match the events or its signature is wrong. */
    CHECKPOINT_MISMATCH
  }

  /**
   * @param sequence the sequence number at which the problem shows
   * @param eventId the id of the event named, or null
   */
  public record Problem(Kind kind, long sequence, String eventId, String message) {}
}
