package io.dvo.gate.store.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.audit.AuditAnchor;
import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.audit.AuditEvent;
import io.dvo.gate.audit.AuditEventType;
import io.dvo.gate.audit.AuditReader;
import io.dvo.gate.audit.AuditStore;
import io.dvo.gate.functions.FunctionsTransport;
import io.dvo.gate.server.LocalServer;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Stores;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import io.dvo.gate.testsupport.Transport;
import io.dvo.gate.testsupport.Transport.Reply;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The documented crash point of a charged decision on Cosmos (docs/audit.md): the charge is written
 * (usage container) before its event (audit container), so a trail that fails in between leaves a
 * charge without its event and the answer 503; the caller's retry with the same key is not charged
 * again and records the decision then.
 */
@ExtendWith(CosmosTestServerExtension.class)
class CosmosChargeThenEventTest {

  /** The real Cosmos trail, refusing appends while {@code refusing} is set (a failed write). */
  private static final class Refusing implements AuditStore {
    private final AuditStore store;
    volatile boolean refusing;

    Refusing(AuditStore store) {
      this.store = store;
    }

    @Override
    public AuditEvent append(AuditDraft draft) {
      if (refusing) {
        throw new StoreUnavailableException("audit.append", "refused (test)", null);
      }
      return store.append(draft);
    }

    @Override
    public List<AuditEvent> read(String tenantId, long afterSequence, int limit) {
      return store.read(tenantId, afterSequence, limit);
    }

    @Override
    public AuditAnchor anchor(String tenantId) {
      return store.anchor(tenantId);
    }

    @Override
    public long removeThrough(String tenantId, long sequence) {
      return store.removeThrough(tenantId, sequence);
    }

    @Override
    public List<String> tenants() {
      return store.tenants();
    }
  }

  private static String gate(String key) {
    return "{\"tenant_id\":\"demo\",\"idempotency_key\":\""
        + key
        + "\",\"agent_id\":\"payments-api\",\"environment\":\"dev\",\"estimate\":5}";
  }

  @Test
  void aChargeWhoseEventFailedIsRecordedAtTheRetryAndNotChargedTwice() throws Exception {
    String database = "charge-" + UUID.randomUUID().toString().substring(0, 8);
    Stores cosmos = CosmosStores.open(CosmosTestStores.freshConnectionTo(database));
    Refusing audit = new Refusing(cosmos.audit());
    Stores stores =
        new Stores(
            cosmos.approvals(),
            cosmos.quotas(),
            cosmos.policies(),
            cosmos.resource(),
            cosmos.runs(),
            audit);
    try (GateFixture gate = GateFixture.over(stores);
        Transport api = new FunctionsTransport(gate.app.httpApi())) {
      LocalServer.ensureDemoQuota(gate.app);
      audit.refusing = true;

      Reply failed = api.send("POST", "/api/v1/gate", Identity.REQUESTER, gate("k1"));

      assertThat(failed.status()).as(failed.toString()).isEqualTo(503);
      long usedAfterFailure = used(gate);
      audit.refusing = false;

      Reply retried = api.send("POST", "/api/v1/gate", Identity.REQUESTER, gate("k1"));

      assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
      assertThat(retried.json().get("decision").asText()).isEqualTo("allow");
      // Charged once: by the first call (the documented order), not again by the retry.
      assertThat(usedAfterFailure).isEqualTo(5);
      assertThat(used(gate)).isEqualTo(5);
      List<AuditEvent> events = cosmos.audit().read("demo", 0, 100);
      assertThat(events)
          .filteredOn(e -> e.type() == AuditEventType.GATE_DECISION)
          .filteredOn(e -> "k1".equals(e.subject().idempotencyKey()))
          .as("the decision is in the trail after the retry")
          .isNotEmpty();
      assertThat(AuditReader.verify(cosmos.audit(), "demo").problem()).isNull();
    }
  }

  private static long used(GateFixture gate) {
    return gate.app
        .stores()
        .quotas()
        .usage("demo", io.dvo.gate.quota.UsagePeriod.of(gate.clock.instant()))
        .used();
  }
}
