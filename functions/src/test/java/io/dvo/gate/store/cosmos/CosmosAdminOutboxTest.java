package io.dvo.gate.store.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.audit.AuditEvent;
import io.dvo.gate.json.Json;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.StoredPolicy;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Admin changes (policies, quota settings) and their audit events on Cosmos: one transactional
 * batch writes the change and an outbox item with its events; the events are then appended once
 * each and the outbox item deleted. What a crash or a failed trail leaves, the audit sweep records,
 * once.
 */
class CosmosAdminOutboxTest extends CosmosOutboxTestBase {
  private CosmosPolicyStore policies;
  private CosmosQuotaStore quotas;

  @BeforeEach
  void stores() {
    policies = new CosmosPolicyStore(connection, audit);
    quotas = new CosmosQuotaStore(connection, Clock.systemUTC(), audit);
  }

  private StoredPolicy policy(String id, String effect) {
    JsonNode rule = Json.mapper().createObjectNode().put("id", id).put("effect", effect);
    return new StoredPolicy(tenant, id, rule, "admin@example.com", Instant.now());
  }

  private List<JsonNode> outboxItems(CosmosContainer container) {
    return connection
        .container(container)
        .queryItems(
            "SELECT * FROM c WHERE c.docType = 'audit_outbox' AND c.tenantId = '" + tenant + "'",
            new CosmosQueryRequestOptions(),
            JsonNode.class)
        .stream()
        .toList();
  }

  /** The items a batch of change + outbox left when the process died right after it. */
  private void leaveOutboxItem(CosmosContainer container, AuditDraft... events) {
    ObjectNode item =
        CosmosDocuments.document(
            tenant, "o-" + CosmosDocuments.itemId(events[0].id()), CosmosAuditOutbox.ITEM, null);
    CosmosAuditOutbox.put(item, with(events));
    connection.container(container).createItem(item, new PartitionKey(tenant), null);
  }

  @Test
  void policyChangesRecordTheirEventsOnceAndLeaveNoOutbox() {
    AuditDraft created = event("created");
    AuditDraft replaced = event("replaced");
    AuditDraft deleted = event("deleted");

    Versioned<StoredPolicy> first = written(policies.create(policy("p1", "deny"), with(created)));
    Versioned<StoredPolicy> second =
        written(policies.replace(policy("p1", "allow"), first.etag(), with(replaced)));
    assertThat(policies.get(tenant, "p1").orElseThrow().etag()).isEqualTo(second.etag());
    assertThat(policies.replace(policy("p1", "warn"), first.etag(), with(event("stale"))))
        .isInstanceOf(WriteResult.PreconditionFailed.class);
    written(policies.delete(tenant, "p1", second.etag(), with(deleted)));
    assertThat(policies.create(policy("p2", "deny"), with(event("x"))))
        .isInstanceOf(WriteResult.Written.class);
    assertThat(policies.create(policy("p2", "deny"), with(event("taken"))))
        .isInstanceOf(WriteResult.AlreadyExists.class);

    assertThat(audit.read(tenant, 0, 100)).hasSize(4); // created, replaced, deleted, x
    assertThat(heard).hasSize(4).startsWith(created.id(), replaced.id(), deleted.id());
    assertThat(policies.get(tenant, "p1")).isEmpty();
    assertThat(outboxItems(CosmosContainer.POLICIES)).isEmpty();
    assertThat(policies.list(tenant)).extracting(v -> v.value().id()).containsExactly("p2");
  }

  @Test
  void quotaSettingsAndCalendarChangesRecordTheirEventsOnce() {
    AuditDraft set = event("set");
    AuditDraft changed = event("changed");
    Versioned<QuotaSettings> first =
        written(
            quotas.putSettings(new QuotaSettings(tenant, 100, null, Map.of()), null, with(set)));
    written(
        quotas.putSettings(
            new QuotaSettings(tenant, 200, null, Map.of()), first.etag(), with(changed)));

    AuditDraft calendar = event("calendar");
    written(
        quotas.putCalendar(
            new io.dvo.gate.calendar.TenantCalendar(
                tenant, java.time.ZoneId.of("Asia/Tokyo"), List.of(), List.of()),
            null,
            with(calendar)));

    assertChain(set, changed, calendar);
    assertThat(quotas.settings(tenant).orElseThrow().value().monthlyBudget()).isEqualTo(200);
    assertThat(quotas.calendar(tenant)).isPresent();
    assertThat(outboxItems(CosmosContainer.QUOTAS)).isEmpty();
  }

  @Test
  void crashAfterTheBatchBeforeTheEventsIsRecordedByTheSweepOnce() {
    AuditDraft created = event("created");
    AuditDraft settings = event("settings");
    leaveOutboxItem(CosmosContainer.POLICIES, created);
    leaveOutboxItem(CosmosContainer.QUOTAS, settings);

    assertThat(audit.drainOutboxes(trail)).isGreaterThanOrEqualTo(2);

    assertThat(audit.read(tenant, 0, 100).stream().map(AuditEvent::id).toList())
        .containsExactlyInAnyOrder(created.id(), settings.id());
    assertThat(heard).contains(created.id(), settings.id());
    assertThat(outboxItems(CosmosContainer.POLICIES)).isEmpty();
    assertThat(outboxItems(CosmosContainer.QUOTAS)).isEmpty();
    audit.drainOutboxes(trail);
    assertThat(audit.read(tenant, 0, 100)).hasSize(2);
  }

  @Test
  void crashAfterTheEventsBeforeTheOutboxItemWasDeletedRecordsNothingAgain() {
    AuditDraft created = event("created");
    leaveOutboxItem(CosmosContainer.POLICIES, created);
    assertThat(audit.appendOnce(created)).isNotNull();

    audit.drainOutboxes(trail);

    assertChain(created);
    assertThat(heard).doesNotContain(created.id());
    assertThat(outboxItems(CosmosContainer.POLICIES)).isEmpty();
  }

  @Test
  void aChangeWhoseBatchTimedOutAndLandedLateIsStillRecorded() {
    AuditDraft created = event("created");
    CosmosTestServer.shared().stallBatches(tenant);
    try {
      assertThatThrownBy(() -> policies.create(policy("p1", "deny"), with(created)))
          .isInstanceOf(StoreUnavailableException.class);
      assertThat(audit.read(tenant, 0, 100)).isEmpty();
    } finally {
      // The held batch lands now: the policy and its outbox item, together.
      CosmosTestServer.shared().release(tenant);
    }
    assertThat(policies.get(tenant, "p1")).isPresent();
    assertThat(outboxItems(CosmosContainer.POLICIES)).hasSize(1);

    audit.drainOutboxes(trail);

    assertChain(created);
    assertThat(outboxItems(CosmosContainer.POLICIES)).isEmpty();
  }

  @Test
  void theGatesPeriodicSweepDrainsWhatACrashLeft() {
    AuditDraft created = event("created");
    leaveOutboxItem(CosmosContainer.POLICIES, created);
    try (io.dvo.gate.testsupport.GateFixture gate =
        io.dvo.gate.testsupport.GateFixture.over(CosmosStores.open(connection))) {
      gate.app.sweeper().sweep();
      // (Closing the gate closes the shared connection: check before.)
      assertChain(created);
      assertThat(outboxItems(CosmosContainer.POLICIES)).isEmpty();
    }
  }
}
