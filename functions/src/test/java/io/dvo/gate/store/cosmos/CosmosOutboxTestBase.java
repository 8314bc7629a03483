package io.dvo.gate.store.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.audit.AuditEvent;
import io.dvo.gate.audit.AuditReader;
import io.dvo.gate.audit.AuditTrail;
import io.dvo.gate.audit.AuditVerification;
import io.dvo.gate.store.AuditedWrite;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import io.dvo.gate.store.contract.AuditStoreContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the outbox tests share: a fresh connection whose short deadline makes a stalled batch fail
 * the call quickly, its audit store and trail (whose listener notes what it hears), and a tenant of
 * each test's own, so that the chain a test checks holds only its events.
 */
@ExtendWith(CosmosTestServerExtension.class)
abstract class CosmosOutboxTestBase {
  CosmosConnection connection;
  CosmosAuditStore audit;
  AuditTrail trail;
  final List<String> heard = new CopyOnWriteArrayList<>();
  String tenant;

  @BeforeEach
  void trail() {
    connection = CosmosTestStores.freshConnection(Duration.ofSeconds(2), 8);
    audit = new CosmosAuditStore(connection);
    trail = new AuditTrail(audit, Clock.systemUTC());
    trail.addListener(event -> heard.add(event.id()));
    tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  AuditDraft event(String outcome) {
    return AuditStoreContract.draft(tenant, Instant.now(), outcome);
  }

  AuditedWrite with(AuditDraft... events) {
    return new AuditedWrite(trail, List.of(events));
  }

  List<String> chainIds() {
    return audit.read(tenant, 0, 100).stream().map(AuditEvent::id).toList();
  }

  /** The tenant's chain is exactly {@code expected}, in order, and verifies. */
  void assertChain(AuditDraft... expected) {
    assertThat(chainIds())
        .containsExactlyElementsOf(List.of(expected).stream().map(AuditDraft::id).toList());
    AuditVerification v = AuditReader.verify(audit, tenant);
    assertThat(v.problem()).isNull();
    assertThat(v.lastSequence()).isEqualTo(expected.length);
  }

  static <T> Versioned<T> written(WriteResult<T> result) {
    assertThat(result).isInstanceOf(WriteResult.Written.class);
    return ((WriteResult.Written<T>) result).stored();
  }
}
