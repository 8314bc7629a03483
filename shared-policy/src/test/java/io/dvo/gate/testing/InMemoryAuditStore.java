package io.dvo.gate.testing;

import io.dvo.gate.audit.AuditAnchor;
import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.audit.AuditEvent;
import io.dvo.gate.audit.AuditFormat;
import io.dvo.gate.audit.AuditStore;
import io.dvo.gate.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link AuditStore} in memory: one list per tenant, appends under one lock, events kept as
 * their JSON text (so a read returns what an export would). {@link #setUnavailable} makes every
 * call fail, for fail-closed tests.
 */
public final class InMemoryAuditStore implements AuditStore {
  private final Map<String, List<String>> chains = new HashMap<>();
  private final Map<String, AuditAnchor> anchors = new HashMap<>();
  private volatile boolean unavailable;

  public void setUnavailable(boolean value) {
    this.unavailable = value;
  }

  @Override
  public synchronized AuditEvent append(AuditDraft draft) {
    check("audit.append");
    List<String> chain = chains.computeIfAbsent(draft.tenantId(), t -> new ArrayList<>());
    AuditAnchor last =
        chain.isEmpty()
            ? anchors.getOrDefault(draft.tenantId(), AuditAnchor.START)
            : AuditAnchor.after(AuditFormat.parseEvent(chain.get(chain.size() - 1)));
    AuditEvent event = draft.seal(last.sequence() + 1, last.hash());
    chain.add(AuditFormat.json(event));
    return event;
  }

  @Override
  public synchronized List<AuditEvent> read(String tenantId, long afterSequence, int limit) {
    check("audit.read");
    List<AuditEvent> out = new ArrayList<>();
    for (String line : chains.getOrDefault(tenantId, List.of())) {
      AuditEvent e = AuditFormat.parseEvent(line);
      if (e.sequence() > afterSequence && out.size() < limit) {
        out.add(e);
      }
    }
    return out;
  }

  @Override
  public synchronized AuditAnchor anchor(String tenantId) {
    check("audit.anchor");
    return anchors.getOrDefault(tenantId, AuditAnchor.START);
  }

  @Override
  public synchronized long removeThrough(String tenantId, long sequence) {
    check("audit.remove");
    List<String> chain = chains.getOrDefault(tenantId, new ArrayList<>());
    long removed = 0;
    while (!chain.isEmpty()) {
      AuditEvent first = AuditFormat.parseEvent(chain.get(0));
      if (first.sequence() > sequence) {
        break;
      }
      chain.remove(0);
      anchors.put(tenantId, AuditAnchor.after(first));
      removed++;
    }
    return removed;
  }

  @Override
  public synchronized List<String> tenants() {
    check("audit.tenants");
    return chains.keySet().stream().sorted().toList();
  }

  /** Test access: replaces the stored text of the event at {@code index} (tampering). */
  public synchronized void tamper(String tenantId, int index, String json) {
    chains.get(tenantId).set(index, json);
  }

  /** Test access: the stored text. */
  public synchronized List<String> lines(String tenantId) {
    return List.copyOf(chains.getOrDefault(tenantId, List.of()));
  }

  private void check(String operation) {
    if (unavailable) {
      throw new StoreUnavailableException(operation, "the audit store is unavailable (test)", null);
    }
  }
}
