package io.dvo.gate.review;

import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.notify.ApprovalFixtures;
import io.dvo.gate.policy.ApprovalRequirement;
import io.dvo.gate.service.ApprovalService;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.sqlite.SqliteStores;
import io.dvo.gate.testing.MutableClock;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Set;

/** An approval service on a real (SQLite) store, people to act with, and an opened approval. */
public final class ReviewFixture implements AutoCloseable {
  public static final Principal REQUESTER =
      new Principal(
          "u-requester",
          "rita@acme.example",
          "Rita Requester",
          Set.of("gate_caller"),
          Set.of("acme"));
  public static final Principal RELEASE_MANAGER =
      new Principal(
          "u-anna",
          "anna@acme.example",
          "Anna Approver",
          Set.of("release_manager"),
          Set.of("acme"));
  public static final Principal SECURITY =
      new Principal(
          "u-sam", "sam@acme.example", "Sam Security", Set.of("security"), Set.of("acme"));
  public static final Principal DEVELOPER =
      new Principal(
          "u-dev", "dev@acme.example", "Dee Developer", Set.of("developer"), Set.of("acme"));
  public static final Principal OUTSIDER =
      new Principal(
          "u-out",
          "out@globex.example",
          "Otto Outsider",
          Set.of("release_manager"),
          Set.of("globex"));

  public final MutableClock clock = new MutableClock(ApprovalFixtures.CREATED);
  public final Stores stores;
  public final ApprovalService approvals;
  public final CsrfTokens csrf =
      CsrfTokens.fromSecret("a-test-secret-that-is-long-enough-0123456789", false);
  public final ReviewController controller;

  public ReviewFixture(Path dir) {
    stores = SqliteStores.open(dir.resolve("gate.db"));
    approvals = new ApprovalService(stores.approvals(), null, clock);
    controller = new ReviewController(approvals, csrf, ZoneId.of("UTC"), clock);
  }

  /** Opens the standard pending approval (release manager + security needed, 24 h). */
  public ApprovalRecord open() {
    return open(ApprovalFixtures.pending());
  }

  public ApprovalRecord open(ApprovalRecord template) {
    Versioned<ApprovalRecord> opened =
        approvals.open(
            template.request(),
            REQUESTER,
            template.decision(),
            new ApprovalRequirement(template.groups(), 24));
    return opened.value();
  }

  @Override
  public void close() throws Exception {
    stores.close();
  }
}
