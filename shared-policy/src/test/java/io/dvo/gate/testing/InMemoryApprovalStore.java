package io.dvo.gate.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.Page;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.json.Json;
import io.dvo.gate.store.ApprovalQuery;
import io.dvo.gate.store.ApprovalStore;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link ApprovalStore} in memory, faithful to the real ones: records are kept as their JSON
 * documents (so whatever does not survive the wire format fails here too), every write gets a fresh
 * ETag, conditional writes compare it, listings are newest first with opaque keyset continuations.
 * Thread-safe. {@link #setUnavailable} makes every call throw, for fail-closed tests.
 */
public final class InMemoryApprovalStore implements ApprovalStore {

  private static final Comparator<ApprovalRecord> NEWEST_FIRST =
      Comparator.comparing(ApprovalRecord::createdAt).thenComparing(ApprovalRecord::id).reversed();

  private record Key(String tenantId, String id) {}

  private record Stored(String etag, ApprovalRecord record) {}

  private final Map<Key, Stored> items = new HashMap<>();
  private final AtomicInteger writes = new AtomicInteger();
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicInteger failingReads = new AtomicInteger();
  private volatile boolean unavailable;

  @Override
  public synchronized Optional<Versioned<ApprovalRecord>> get(String tenantId, String id) {
    checkAvailable("get approval");
    if (failingReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new StoreUnavailableException("get approval", "in-memory store failed this read", null);
    }
    reads.incrementAndGet();
    Stored stored = items.get(new Key(tenantId, id));
    return Optional.ofNullable(stored).map(InMemoryApprovalStore::versioned);
  }

  @Override
  public synchronized WriteResult<ApprovalRecord> create(ApprovalRecord record) {
    checkAvailable("create approval");
    Key key = new Key(record.tenantId(), record.id());
    if (items.containsKey(key)) {
      return new WriteResult.AlreadyExists<>();
    }
    return write(key, record);
  }

  @Override
  public synchronized WriteResult<ApprovalRecord> replace(ApprovalRecord record, String ifMatch) {
    checkAvailable("replace approval");
    Key key = new Key(record.tenantId(), record.id());
    Stored current = items.get(key);
    if (current == null) {
      return new WriteResult.NotFound<>();
    }
    if (!current.etag().equals(ifMatch)) {
      return new WriteResult.PreconditionFailed<>();
    }
    return write(key, record);
  }

  @Override
  public synchronized Page<Versioned<ApprovalRecord>> list(
      String tenantId, ApprovalQuery query, String continuation) {
    checkAvailable("list approvals");
    ApprovalRecord after = continuation == null ? null : decode(continuation);
    List<Stored> matching = new ArrayList<>();
    for (Map.Entry<Key, Stored> entry : items.entrySet()) {
      ApprovalRecord r = entry.getValue().record();
      if (entry.getKey().tenantId().equals(tenantId)
          && (query.status() == null || r.status() == query.status())
          && (query.environment() == null || query.environment().equals(r.environment()))
          && (query.agentId() == null || query.agentId().equals(r.agentId()))
          && (query.emergency() == null || query.emergency() == r.breakGlassApproval())
          && (query.windowEngagement() == null
              || (r.window() != null && query.windowEngagement().equals(r.window().engagementId())))
          && (after == null || NEWEST_FIRST.compare(r, after) > 0)) {
        matching.add(entry.getValue());
      }
    }
    matching.sort(Comparator.comparing(Stored::record, NEWEST_FIRST));
    List<Versioned<ApprovalRecord>> page = new ArrayList<>();
    for (int i = 0; i < matching.size() && i < query.limit(); i++) {
      page.add(versioned(matching.get(i)));
    }
    String next =
        matching.size() > query.limit() ? encode(page.get(page.size() - 1).value()) : null;
    return new Page<>(page, next);
  }

  @Override
  public synchronized List<Versioned<ApprovalRecord>> findPendingExpiringBy(
      Instant cutoff, int limit) {
    checkAvailable("find expiring approvals");
    return items.values().stream()
        .filter(s -> s.record().status() == ApprovalStatus.PENDING)
        .filter(s -> !s.record().expiresAt().isAfter(cutoff))
        .sorted(Comparator.comparing((Stored s) -> s.record().expiresAt()))
        .limit(limit)
        .map(InMemoryApprovalStore::versioned)
        .toList();
  }

  @Override
  public synchronized List<Versioned<ApprovalRecord>> findWindowsEndedBy(
      Instant cutoff, int limit) {
    checkAvailable("find ended windows");
    return items.values().stream()
        .filter(s -> s.record().status() == ApprovalStatus.APPROVED)
        .filter(s -> s.record().window() != null)
        .filter(s -> !s.record().window().endsAt().isAfter(cutoff))
        .sorted(Comparator.comparing((Stored s) -> s.record().window().endsAt()))
        .limit(limit)
        .map(InMemoryApprovalStore::versioned)
        .toList();
  }

  /** When true, every call throws {@link StoreUnavailableException} (the gate must fail closed). */
  public void setUnavailable(boolean unavailable) {
    this.unavailable = unavailable;
  }

  /** The next {@code n} point reads ({@link #get}) throw {@link StoreUnavailableException}. */
  public void failNextReads(int n) {
    failingReads.set(n);
  }

  /** How many of the reads set by {@link #failNextReads} have not failed yet. */
  public int failingReadsLeft() {
    return failingReads.get();
  }

  /** How many point reads ({@link #get}) were served, for tests counting store round trips. */
  public int reads() {
    return reads.get();
  }

  /** How many writes (creates and replaces) succeeded, for tests counting transitions. */
  public int successfulWrites() {
    return writes.get();
  }

  private WriteResult<ApprovalRecord> write(Key key, ApprovalRecord record) {
    ApprovalRecord roundTripped;
    try {
      String json = Json.mapper().writeValueAsString(record);
      roundTripped = Json.mapper().readValue(json, ApprovalRecord.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("approval record does not survive its JSON form", e);
    }
    Stored stored = new Stored('"' + UUID.randomUUID().toString() + '"', roundTripped);
    items.put(key, stored);
    writes.incrementAndGet();
    return new WriteResult.Written<>(versioned(stored));
  }

  private static Versioned<ApprovalRecord> versioned(Stored stored) {
    return new Versioned<>(stored.record(), stored.etag());
  }

  private void checkAvailable(String operation) {
    if (unavailable) {
      throw new StoreUnavailableException(operation, "in-memory store set unavailable", null);
    }
  }

  /** Keyset position: the last item's (created_at, id); opaque to callers. */
  private static String encode(ApprovalRecord last) {
    String raw = last.createdAt() + "|" + last.id();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** A stand-in record carrying only the position, for comparisons. */
  private static ApprovalRecord decode(String continuation) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(continuation), StandardCharsets.UTF_8);
      int bar = raw.indexOf('|');
      if (bar < 0) {
        throw new IllegalArgumentException("invalid continuation token");
      }
      Instant createdAt = Instant.parse(raw.substring(0, bar));
      String id = raw.substring(bar + 1);
      return new ApprovalRecord(
          id,
          "",
          null,
          ApprovalStatus.PENDING,
          new io.dvo.gate.identity.Actor("", null, null),
          null,
          null,
          null,
          null,
          null,
          null,
          createdAt,
          createdAt,
          null,
          null,
          false,
          null,
          null);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IllegalArgumentException("invalid continuation token", e);
    }
  }
}
