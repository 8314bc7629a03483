package io.dvo.gate.store.contract;

import static io.dvo.gate.store.contract.ContractData.policy;
import static io.dvo.gate.store.contract.ContractData.written;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.store.PolicyStore;
import io.dvo.gate.store.StoredPolicy;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link PolicyStore} must show. Listing is per tenant, ordered by id. */
public abstract class PolicyStoreContract {

  /** A fresh, empty store. */
  protected abstract PolicyStore newStore();

  private PolicyStore store;

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @Test
  void createdPolicyIsReadBackEqualWithAnEtag() {
    StoredPolicy p = policy("acme", "no-friday", "deny");

    Versioned<StoredPolicy> created = written(store.create(p));

    assertThat(created.value()).isEqualTo(p);
    assertThat(created.etag()).isNotBlank();
    assertThat(store.get("acme", "no-friday")).contains(created);
    assertThat(store.get("acme", "other")).isEmpty();
  }

  @Test
  void creatingATakenIdReportsAlreadyExists() {
    written(store.create(policy("acme", "r1", "deny")));

    assertThat(store.create(policy("acme", "r1", "warn")))
        .isInstanceOf(WriteResult.AlreadyExists.class);
    assertThat(store.get("acme", "r1").orElseThrow().value().rule().get("effect").asText())
        .isEqualTo("deny");
  }

  @Test
  void listingIsPerTenantOrderedById() {
    written(store.create(policy("acme", "r2", "warn")));
    written(store.create(policy("acme", "r1", "deny")));
    written(store.create(policy("globex", "r3", "deny")));

    assertThat(store.list("acme").stream().map(v -> v.value().id())).containsExactly("r1", "r2");
    assertThat(store.list("globex").stream().map(v -> v.value().id())).containsExactly("r3");
    assertThat(store.list("initech")).isEmpty();
  }

  @Test
  void replaceHonoursTheEtag() {
    Versioned<StoredPolicy> created = written(store.create(policy("acme", "r1", "deny")));
    Versioned<StoredPolicy> replaced =
        written(store.replace(policy("acme", "r1", "warn"), created.etag()));

    WriteResult<StoredPolicy> stale =
        store.replace(policy("acme", "r1", "audit_only"), created.etag());

    assertThat(replaced.etag()).isNotEqualTo(created.etag());
    assertThat(stale).isInstanceOf(WriteResult.PreconditionFailed.class);
    assertThat(store.get("acme", "r1")).contains(replaced);
    assertThat(store.replace(policy("acme", "missing", "deny"), replaced.etag()))
        .isInstanceOf(WriteResult.NotFound.class);
  }

  @Test
  void deleteHonoursTheEtagOrDeletesUnconditionally() {
    Versioned<StoredPolicy> r1 = written(store.create(policy("acme", "r1", "deny")));
    written(store.create(policy("acme", "r2", "deny")));
    Versioned<StoredPolicy> r1v2 = written(store.replace(policy("acme", "r1", "warn"), r1.etag()));

    assertThat(store.delete("acme", "r1", r1.etag()))
        .isInstanceOf(WriteResult.PreconditionFailed.class);
    assertThat(store.delete("acme", "r1", r1v2.etag())).isInstanceOf(WriteResult.Written.class);
    assertThat(store.delete("acme", "r2", null)).isInstanceOf(WriteResult.Written.class);

    assertThat(store.get("acme", "r1")).isEmpty();
    assertThat(store.get("acme", "r2")).isEmpty();
    assertThat(store.delete("acme", "r2", null)).isInstanceOf(WriteResult.NotFound.class);
  }

  @Test
  void theSameIdInTwoTenantsIsTwoSeparatePolicies() {
    written(store.create(policy("acme", "same", "deny")));
    written(store.create(policy("globex", "same", "warn")));

    assertThat(store.delete("acme", "same", null)).isInstanceOf(WriteResult.Written.class);

    assertThat(store.get("acme", "same")).isEmpty();
    assertThat(store.get("globex", "same").orElseThrow().value().rule().get("effect").asText())
        .isEqualTo("warn");
  }
}
