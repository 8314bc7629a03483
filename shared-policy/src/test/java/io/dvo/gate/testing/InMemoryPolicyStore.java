package io.dvo.gate.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dvo.gate.json.Json;
import io.dvo.gate.store.PolicyStore;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.StoredPolicy;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A {@link PolicyStore} in memory: JSON round trip on every write, fresh ETags, conditional replace
 * and delete. Thread-safe. Listing is ordered by id.
 */
public final class InMemoryPolicyStore implements PolicyStore {

  private record Key(String tenantId, String id) {}

  private final Map<Key, Versioned<StoredPolicy>> items =
      new TreeMap<>(Comparator.comparing(Key::tenantId).thenComparing(Key::id));
  private volatile boolean unavailable;

  @Override
  public synchronized List<Versioned<StoredPolicy>> list(String tenantId) {
    checkAvailable("list policies");
    return items.entrySet().stream()
        .filter(e -> e.getKey().tenantId().equals(tenantId))
        .map(Map.Entry::getValue)
        .toList();
  }

  @Override
  public synchronized Optional<Versioned<StoredPolicy>> get(String tenantId, String id) {
    checkAvailable("get policy");
    return Optional.ofNullable(items.get(new Key(tenantId, id)));
  }

  @Override
  public synchronized WriteResult<StoredPolicy> create(StoredPolicy policy) {
    checkAvailable("create policy");
    Key key = new Key(policy.tenantId(), policy.id());
    if (items.containsKey(key)) {
      return new WriteResult.AlreadyExists<>();
    }
    return write(key, policy);
  }

  @Override
  public synchronized WriteResult<StoredPolicy> replace(StoredPolicy policy, String ifMatch) {
    checkAvailable("replace policy");
    Key key = new Key(policy.tenantId(), policy.id());
    Versioned<StoredPolicy> current = items.get(key);
    if (current == null) {
      return new WriteResult.NotFound<>();
    }
    if (!current.etag().equals(ifMatch)) {
      return new WriteResult.PreconditionFailed<>();
    }
    return write(key, policy);
  }

  @Override
  public synchronized WriteResult<StoredPolicy> delete(String tenantId, String id, String ifMatch) {
    checkAvailable("delete policy");
    Key key = new Key(tenantId, id);
    Versioned<StoredPolicy> current = items.get(key);
    if (current == null) {
      return new WriteResult.NotFound<>();
    }
    if (ifMatch != null && !current.etag().equals(ifMatch)) {
      return new WriteResult.PreconditionFailed<>();
    }
    items.remove(key);
    return new WriteResult.Written<>(current);
  }

  /** When true, every call throws {@link StoreUnavailableException}. */
  public void setUnavailable(boolean unavailable) {
    this.unavailable = unavailable;
  }

  private WriteResult<StoredPolicy> write(Key key, StoredPolicy policy) {
    StoredPolicy roundTripped;
    try {
      roundTripped =
          Json.mapper().readValue(Json.mapper().writeValueAsString(policy), StoredPolicy.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("policy does not survive its JSON form", e);
    }
    Versioned<StoredPolicy> stored =
        new Versioned<>(roundTripped, '"' + UUID.randomUUID().toString() + '"');
    items.put(key, stored);
    return new WriteResult.Written<>(stored);
  }

  private void checkAvailable(String operation) {
    if (unavailable) {
      throw new StoreUnavailableException(operation, "in-memory store set unavailable", null);
    }
  }
}
