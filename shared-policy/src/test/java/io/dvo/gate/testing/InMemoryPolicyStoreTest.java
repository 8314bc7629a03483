package io.dvo.gate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.json.Json;
import io.dvo.gate.store.StoredPolicy;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryPolicyStoreTest {

  private final InMemoryPolicyStore store = new InMemoryPolicyStore();

  private static StoredPolicy policy(String tenant, String id, String effect) {
    JsonNode rule = Json.mapper().createObjectNode().put("id", id).put("effect", effect);
    return new StoredPolicy(
        tenant, id, rule, "admin@x.example", Instant.parse("2026-03-02T09:00:00Z"));
  }

  private Versioned<StoredPolicy> created(StoredPolicy p) {
    return ((WriteResult.Written<StoredPolicy>) store.create(p)).stored();
  }

  @Test
  void createdPolicyReadsBackEqualAndIdsAreTakenPerTenant() {
    Versioned<StoredPolicy> v = created(policy("acme", "p1", "deny"));

    assertThat(v.value()).isEqualTo(policy("acme", "p1", "deny"));
    assertThat(store.get("acme", "p1")).contains(v);
    assertThat(store.create(policy("acme", "p1", "warn")))
        .isInstanceOf(WriteResult.AlreadyExists.class);
    assertThat(store.create(policy("globex", "p1", "warn")))
        .isInstanceOf(WriteResult.Written.class);
  }

  @Test
  void listIsPerTenantOrderedById() {
    created(policy("acme", "b", "deny"));
    created(policy("acme", "a", "deny"));
    created(policy("globex", "c", "deny"));

    assertThat(store.list("acme")).extracting(v -> v.value().id()).containsExactly("a", "b");
  }

  @Test
  void replaceAndDeleteAreConditionalOnTheEtag() {
    Versioned<StoredPolicy> v1 = created(policy("acme", "p", "deny"));
    WriteResult<StoredPolicy> replaced = store.replace(policy("acme", "p", "warn"), v1.etag());
    String v2 = ((WriteResult.Written<StoredPolicy>) replaced).stored().etag();

    assertThat(store.replace(policy("acme", "p", "allow"), v1.etag()))
        .isInstanceOf(WriteResult.PreconditionFailed.class);
    assertThat(store.replace(policy("acme", "nope", "allow"), v2))
        .isInstanceOf(WriteResult.NotFound.class);
    assertThat(store.delete("acme", "p", v1.etag()))
        .isInstanceOf(WriteResult.PreconditionFailed.class);
    assertThat(store.delete("acme", "p", v2)).isInstanceOf(WriteResult.Written.class);
    assertThat(store.get("acme", "p")).isEmpty();
    assertThat(store.delete("acme", "p", null)).isInstanceOf(WriteResult.NotFound.class);
  }

  @Test
  void deleteWithoutEtagIsUnconditional() {
    created(policy("acme", "p", "deny"));

    assertThat(store.delete("acme", "p", null)).isInstanceOf(WriteResult.Written.class);
    assertThat(store.list("acme")).isEmpty();
  }
}
