package io.dvo.gate.service;

import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.ApprovalStatus;
import io.dvo.gate.store.ApprovalQuery;
import io.dvo.gate.store.ApprovalStore;
import io.dvo.gate.store.Page;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A minimal synchronized approval store for the gate service tests. */
final class MapApprovalStore implements ApprovalStore {
  private final Map<String, Versioned<ApprovalRecord>> records = new HashMap<>();
  private long version;

  @Override
  public synchronized Optional<Versioned<ApprovalRecord>> get(String tenantId, String id) {
    return Optional.ofNullable(records.get(tenantId + "/" + id));
  }

  @Override
  public synchronized WriteResult<ApprovalRecord> create(ApprovalRecord record) {
    String key = record.tenantId() + "/" + record.id();
    if (records.containsKey(key)) {
      return new WriteResult.AlreadyExists<>();
    }
    Versioned<ApprovalRecord> stored = new Versioned<>(record, "v" + ++version);
    records.put(key, stored);
    return new WriteResult.Written<>(stored);
  }

  @Override
  public synchronized WriteResult<ApprovalRecord> replace(ApprovalRecord record, String ifMatch) {
    String key = record.tenantId() + "/" + record.id();
    Versioned<ApprovalRecord> current = records.get(key);
    if (current == null) {
      return new WriteResult.NotFound<>();
    }
    if (!current.etag().equals(ifMatch)) {
      return new WriteResult.PreconditionFailed<>();
    }
    Versioned<ApprovalRecord> stored = new Versioned<>(record, "v" + ++version);
    records.put(key, stored);
    return new WriteResult.Written<>(stored);
  }

  @Override
  public synchronized Page<Versioned<ApprovalRecord>> list(
      String tenantId, ApprovalQuery query, String continuation) {
    List<Versioned<ApprovalRecord>> items =
        records.values().stream()
            .filter(v -> v.value().tenantId().equals(tenantId))
            .filter(v -> query.status() == null || v.value().status() == query.status())
            .sorted(
                Comparator.comparing((Versioned<ApprovalRecord> v) -> v.value().createdAt())
                    .reversed())
            .limit(query.limit())
            .toList();
    return new Page<>(items, null);
  }

  @Override
  public synchronized List<Versioned<ApprovalRecord>> findPendingExpiringBy(
      Instant cutoff, int limit) {
    return records.values().stream()
        .filter(v -> v.value().status() == ApprovalStatus.PENDING)
        .filter(v -> !v.value().expiresAt().isAfter(cutoff))
        .limit(limit)
        .toList();
  }

  synchronized int size() {
    return records.size();
  }
}
