package io.dvo.gate.audit;

import io.dvo.gate.api.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Pages through a tenant's trail in chain order with filters, over any {@link AuditStore}. The
 * continuation is the last sequence looked at (as text); each page scans a bounded number of
 * events, so a filter that matches little answers a short page with a continuation, never a long
 * wait.
 */
public final class AuditReader {
  /** Events scanned per page at most. */
  static final int SCAN_LIMIT = 10_000;

  private AuditReader() {}

  public static Page<AuditEvent> page(
      AuditStore store, String tenantId, AuditQuery query, String continuation) {
    long after = continuation == null ? store.anchor(tenantId).sequence() : parse(continuation);
    List<AuditEvent> found = new ArrayList<>();
    long scanned = 0;
    while (scanned < SCAN_LIMIT) {
      List<AuditEvent> batch = store.read(tenantId, after, AuditStore.MAX_READ);
      if (batch.isEmpty()) {
        return new Page<>(found, null);
      }
      for (AuditEvent e : batch) {
        after = e.sequence();
        scanned++;
        if (query.matches(e)) {
          found.add(e);
          if (found.size() == query.limit()) {
            return new Page<>(found, String.valueOf(after));
          }
        }
      }
      if (batch.size() < AuditStore.MAX_READ) {
        return new Page<>(found, null);
      }
    }
    return new Page<>(found, String.valueOf(after));
  }

  /** Every event of the tenant from {@code afterSequence}, in order, streamed page by page. */
  public static Iterable<AuditEvent> all(AuditStore store, String tenantId, long afterSequence) {
    return () ->
        new java.util.Iterator<>() {
          private long after = afterSequence;
          private List<AuditEvent> batch = List.of();
          private int index;
          private boolean done;

          @Override
          public boolean hasNext() {
            if (index < batch.size()) {
              return true;
            }
            if (done) {
              return false;
            }
            batch = store.read(tenantId, after, AuditStore.MAX_READ);
            index = 0;
            if (batch.size() < AuditStore.MAX_READ) {
              done = true;
            }
            if (!batch.isEmpty()) {
              after = batch.get(batch.size() - 1).sequence();
            }
            return !batch.isEmpty();
          }

          @Override
          public AuditEvent next() {
            if (!hasNext()) {
              throw new java.util.NoSuchElementException();
            }
            return batch.get(index++);
          }
        };
  }

  /** How far before the given instant the search for an approval's events starts (clock skew). */
  static final java.time.Duration SKEW = java.time.Duration.ofMinutes(1);

  /**
   * The events about {@code approvalId} (its {@code subject.approval_id}) in chain order, at most
   * {@code max}, looking only at events from shortly before {@code since} (when the approval was
   * opened): the start is found by a binary search over sequences (events are appended in time
   * order), then at most {@link #SCAN_LIMIT} events are scanned. A non-null continuation says the
   * scan stopped before the end of the trail, so later events may be missing.
   */
  public static Page<AuditEvent> aboutApproval(
      AuditStore store, String tenantId, String approvalId, Instant since, int max) {
    long after = lastBefore(store, tenantId, since.minus(SKEW));
    List<AuditEvent> found = new ArrayList<>();
    long scanned = 0;
    while (scanned < SCAN_LIMIT) {
      List<AuditEvent> batch = store.read(tenantId, after, AuditStore.MAX_READ);
      for (AuditEvent e : batch) {
        after = e.sequence();
        scanned++;
        if (approvalId.equals(e.subject().approvalId())) {
          found.add(e);
          if (found.size() == max) {
            return new Page<>(found, String.valueOf(after));
          }
        }
      }
      if (batch.size() < AuditStore.MAX_READ) {
        return new Page<>(found, null);
      }
    }
    return new Page<>(found, String.valueOf(after));
  }

  /**
   * The highest sequence whose event is older than {@code instant} (or the anchor): an exponential
   * probe for an upper bound, then a binary search; O(log n) single-event reads.
   */
  static long lastBefore(AuditStore store, String tenantId, Instant instant) {
    long lo = store.anchor(tenantId).sequence();
    long step = 1;
    long hi;
    while (true) {
      AuditEvent probe = at(store, tenantId, lo + step);
      if (probe == null || !probe.time().isBefore(instant)) {
        hi = lo + step;
        break;
      }
      lo = probe.sequence();
      step = Math.min(step * 2, Long.MAX_VALUE / 4);
    }
    while (hi - lo > 1) {
      long mid = lo + (hi - lo) / 2;
      AuditEvent e = at(store, tenantId, mid);
      if (e != null && e.sequence() < hi && e.time().isBefore(instant)) {
        lo = e.sequence();
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The event at {@code sequence} (or the next one after it), or null past the end. */
  private static AuditEvent at(AuditStore store, String tenantId, long sequence) {
    List<AuditEvent> one = store.read(tenantId, sequence - 1, 1);
    return one.isEmpty() ? null : one.get(0);
  }

  /** Verifies the tenant's stored chain from its anchor. */
  public static AuditVerification verify(AuditStore store, String tenantId) {
    AuditAnchor anchor = store.anchor(tenantId);
    return AuditVerifier.verify(all(store, tenantId, anchor.sequence()), anchor);
  }

  private static long parse(String continuation) {
    try {
      long value = Long.parseLong(continuation);
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("continuation is not one this endpoint gave");
    }
  }
}
