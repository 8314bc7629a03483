package io.dvo.gate.audit;

import io.dvo.gate.store.Page;
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
