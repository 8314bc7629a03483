package io.dvo.gate.store.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.audit.AuditEvent;
import io.dvo.gate.audit.AuditEventType;
import io.dvo.gate.audit.AuditReader;
import io.dvo.gate.audit.AuditStore;
import io.dvo.gate.audit.AuditTrail;
import io.dvo.gate.audit.AuditVerification;
import io.dvo.gate.json.Json;
import io.dvo.gate.store.ApprovalQuery;
import io.dvo.gate.store.AuditedWrite;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import io.dvo.gate.store.contract.ContractData;
import io.dvo.gate.testsupport.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gate process writing approval changes and policy changes with their audit events to Cosmos is
 * killed with SIGKILL in the middle of a burst. Afterwards, once the approvals are read and the
 * sweep has run, every change that landed has its event in the chain exactly once, the chain
 * verifies, and appending goes on.
 */
@ExtendWith(CosmosTestServerExtension.class)
class CosmosOutboxKillTest {
  private static final String TENANT = "acme";

  /** Children killed, one after the other, on one database. */
  private static final int KILLS = 6;

  @TempDir Path dir;

  /** The event ids a change carries: derived from what it changes, so the check can find them. */
  static String opened(String approvalId) {
    return "opened-" + approvalId;
  }

  static String started(String approvalId) {
    return "started-" + approvalId;
  }

  static String policyEvent(String policyId) {
    return "policy-" + policyId;
  }

  private static AuditDraft event(String id, AuditEventType type) {
    return new AuditDraft.Builder(id, TENANT, Instant.now(), type).outcome("changed").build();
  }

  /**
   * The child: opens an approval (event "opened-id"), then changes it (event "started-id"), then
   * creates a policy (event "policy-id"), and so on until killed; prints each id once its write and
   * events are done.
   */
  public static void main(String[] args) {
    CosmosSettings settings =
        new CosmosSettings(args[0], args[1], CosmosTestServer.KEY, null, true)
            .withLimits(Duration.ofSeconds(10), 8);
    System.setProperty("javax.net.ssl.trustStore", args[2]);
    System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    try (Stores stores = CosmosStores.open(CosmosConnection.create(settings))) {
      AuditTrail trail = new AuditTrail(stores.audit(), Clock.systemUTC());
      for (int i = 0; ; i++) {
        String id = "a" + i + "-" + UUID.randomUUID().toString().substring(0, 8);
        ApprovalRecord record = ContractData.pending(TENANT, id, Instant.now());
        Versioned<ApprovalRecord> created =
            ((WriteResult.Written<ApprovalRecord>)
                    stores
                        .approvals()
                        .create(
                            record,
                            new AuditedWrite(
                                trail, List.of(event(opened(id), AuditEventType.APPROVAL_OPENED)))))
                .stored();
        stores
            .approvals()
            .replace(
                record.withStartBy(Instant.now().plusSeconds(600)),
                created.etag(),
                new AuditedWrite(
                    trail, List.of(event(started(id), AuditEventType.APPROVAL_STARTED))));
        String policy = "p-" + id;
        stores
            .policies()
            .create(
                new io.dvo.gate.store.StoredPolicy(
                    TENANT,
                    policy,
                    Json.mapper().createObjectNode().put("id", policy),
                    "admin@example.com",
                    Instant.now()),
                new AuditedWrite(
                    trail, List.of(event(policyEvent(policy), AuditEventType.POLICY_CREATED))));
        System.out.println(id);
        System.out.flush();
      }
    }
  }

  @Test
  void killedMidBurstEveryLandedChangeHasItsEventOnce() throws Exception {
    String database = "kill-" + UUID.randomUUID().toString().substring(0, 8);
    CosmosSettings settings = CosmosTestStores.settings(database);
    // The database and containers exist before the child writes.
    try (Stores setup = CosmosStores.open(CosmosTestStores.freshConnectionTo(database))) {
      setup.approvals().get(TENANT, "none");
      setup.policies().list(TENANT);
      setup.audit().read(TENANT, 0, 1);
    }
    // Several children, each killed at a random point of a change (not just after a line).
    int reported = 0;
    java.util.Random random = new java.util.Random();
    for (int round = 0; round < KILLS; round++) {
      Process child = start(settings.endpoint(), database);
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (int i = 0; i < 5; i++) {
          String line = out.readLine();
          assertThat(line).as("the child keeps writing; its stderr: %s", childErrors()).isNotNull();
          reported++;
        }
        Thread.sleep(random.nextInt(120));
        child.destroyForcibly(); // SIGKILL on Linux: mid-write, no shutdown hooks
        child.waitFor(30, TimeUnit.SECONDS);
      } finally {
        child.destroyForcibly();
      }
    }

    try (Stores stores = CosmosStores.open(CosmosTestStores.freshConnectionTo(database))) {
      AuditTrail trail = new AuditTrail(stores.audit(), Clock.systemUTC());
      stores.approvals().drainOutboxesInto(trail);
      // Reading every approval settles what the kill left in its item; the sweep the rest.
      List<Versioned<ApprovalRecord>> approvals = new ArrayList<>();
      String continuation = null;
      do {
        var page =
            stores
                .approvals()
                .list(TENANT, new ApprovalQuery(null, null, null, 200, null, null), continuation);
        approvals.addAll(page.items());
        continuation = page.continuation();
      } while (continuation != null);
      stores.audit().drainOutboxes(trail);

      AuditStore audit = stores.audit();
      AuditVerification verified = AuditReader.verify(audit, TENANT);
      assertThat(verified.problem()).isNull();
      List<String> ids = new ArrayList<>();
      for (long after = 0; ; ) {
        List<AuditEvent> batch = audit.read(TENANT, after, AuditStore.MAX_READ);
        if (batch.isEmpty()) {
          break;
        }
        batch.forEach(e -> ids.add(e.id()));
        after = batch.get(batch.size() - 1).sequence();
      }
      Set<String> unique = new HashSet<>(ids);
      assertThat(unique).as("no event twice").hasSameSizeAs(ids);
      assertThat(approvals.size()).isGreaterThanOrEqualTo(reported);
      for (Versioned<ApprovalRecord> approval : approvals) {
        String id = approval.value().id();
        assertThat(unique).as("the approval %s was opened", id).contains(opened(id));
        if (approval.value().startBy() != null) {
          assertThat(unique).as("the approval %s was changed", id).contains(started(id));
        }
      }
      for (var policy : stores.policies().list(TENANT)) {
        assertThat(unique)
            .as("the policy %s was created", policy.value().id())
            .contains(policyEvent(policy.value().id()));
      }
      long next =
          audit
              .append(event("after-" + UUID.randomUUID(), AuditEventType.POLICY_CREATED))
              .sequence();
      assertThat(next).isEqualTo(verified.lastSequence() + 1);
    }
  }

  private String childErrors() {
    return ChildJvm.errors(dir.resolve("child.err"));
  }

  private Process start(String endpoint, String database) throws Exception {
    return ChildJvm.start(
        CosmosOutboxKillTest.class,
        dir.resolve("child.err"),
        endpoint,
        database,
        CosmosTestServer.shared().trustStore().toString());
  }
}
