package io.dvo.gate.audit;

import java.util.Iterator;

/**
 * Re-walks a chain (or an exported range of it) from an anchor and names the first broken, missing
 * or reordered event. Streams: it keeps one event of look-ahead, never the whole chain, so it can
 * walk millions of events.
 */
public final class AuditVerifier {
  private AuditVerifier() {}

  public static AuditVerification verify(Iterable<AuditEvent> events, AuditAnchor anchor) {
    return verify(events.iterator(), anchor);
  }

  public static AuditVerification verify(Iterator<AuditEvent> events, AuditAnchor anchor) {
    long expected = anchor.sequence() + 1;
    String previousHash = anchor.hash();
    long checked = 0;
    AuditEvent next = events.hasNext() ? events.next() : null;
    while (next != null) {
      AuditEvent event = next;
      next = events.hasNext() ? events.next() : null;
      if (event.sequence() != expected) {
        return new AuditVerification(
            false, checked, expected - 1, previousHash, orderProblem(event, next, expected));
      }
      String actual = AuditChain.hashOf(event);
      if (!actual.equals(event.hash())) {
        return new AuditVerification(
            false,
            checked,
            expected - 1,
            previousHash,
            new AuditVerification.Problem(
                AuditVerification.Kind.ALTERED,
                event.sequence(),
                event.id(),
                "event "
                    + event.sequence()
                    + " ("
                    + event.id()
                    + ") was altered: its content does not match its hash"));
      }
      if (!previousHash.equals(event.previousHash())) {
        return new AuditVerification(
            false,
            checked,
            expected - 1,
            previousHash,
            new AuditVerification.Problem(
                AuditVerification.Kind.BROKEN_LINK,
                event.sequence(),
                event.id(),
                "event "
                    + event.sequence()
                    + " ("
                    + event.id()
                    + ") does not follow event "
                    + (event.sequence() - 1)
                    + ": the previous hash it names is not that event's hash"));
      }
      previousHash = event.hash();
      expected++;
      checked++;
    }
    return new AuditVerification(true, checked, expected - 1, previousHash, null);
  }

  private static AuditVerification.Problem orderProblem(
      AuditEvent event, AuditEvent following, long expected) {
    if (event.sequence() > expected && following != null && following.sequence() == expected) {
      return new AuditVerification.Problem(
          AuditVerification.Kind.REORDERED,
          expected,
          following.id(),
          "events "
              + expected
              + " ("
              + following.id()
              + ") and "
              + event.sequence()
              + " ("
              + event.id()
              + ") are out of order");
    }
    if (event.sequence() > expected) {
      long lastMissing = event.sequence() - 1;
      return new AuditVerification.Problem(
          AuditVerification.Kind.MISSING,
          expected,
          null,
          (lastMissing == expected
                  ? "event " + expected + " is"
                  : "events " + expected + " to " + lastMissing + " are")
              + " missing before event "
              + event.sequence()
              + " ("
              + event.id()
              + ")");
    }
    return new AuditVerification.Problem(
        AuditVerification.Kind.REORDERED,
        event.sequence(),
        event.id(),
        "event "
            + event.sequence()
            + " ("
            + event.id()
            + ") appears again or out of order where event "
            + expected
            + " was expected");
  }
}
