package io.dvo.gate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.NotificationDelivery;
import io.dvo.gate.config.GateApp;
import io.dvo.gate.config.Settings;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.json.Json;
import io.dvo.gate.policy.ApprovalRequirement;
import io.dvo.gate.store.sqlite.SqliteStores;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wired app announces approvals in Teams and shows the delivery state on the approval. */
class TeamsWiringTest {
  @TempDir Path dir;

  @Test
  void openingAndApprovingPostCardsAndRecordTheirDeliveryOnTheApproval() throws Exception {
    try (WebhookSink sink = new WebhookSink();
        LogCapture logs = new LogCapture()) {
      Settings settings =
          Settings.of(
              Map.of(
                  "DVO_DEV_MODE",
                  "true",
                  "DVO_POLICY_DIR",
                  Path.of("..", "policies").toString(),
                  "DVO_TEAMS_WEBHOOK_URL",
                  sink.url("/teams").toString(),
                  "DVO_PUBLIC_BASE_URL",
                  "https://gate.acme.example",
                  "DVO_DATA_FILE",
                  dir.resolve("gate.db").toString()));
      try (GateApp app =
          GateApp.create(settings, SqliteStores.open(dir.resolve("gate.db")), Clock.systemUTC())) {
        ApprovalRecord template = ApprovalFixtures.pending();
        ApprovalRecord opened =
            app.approvals()
                .open(
                    template.request(),
                    new Principal("rita", "rita@acme.example", "Rita", Set.of(), Set.of("acme")),
                    template.decision(),
                    new ApprovalRequirement(template.groups().subList(0, 1), 24))
                .value();

        JsonNode requested = Json.mapper().readTree(sink.next().body());
        assertThat(AdaptiveCard14Validator.validateEnvelope(requested)).isEmpty();
        assertThat(requested.at("/attachments/0/content/actions/0/url").asText())
            .isEqualTo(
                "https://gate.acme.example/api/v1/approvals/acme/" + opened.id() + "/review");
        awaitDelivery(
            app, opened, d -> d.kind().equals("requested") && d.state().equals("delivered"));

        app.approvals()
            .approve(
                "acme",
                opened.id(),
                new Principal(
                    "anna", "anna@acme.example", "Anna", Set.of("release_manager"), Set.of("acme")),
                "ok");
        assertThat(sink.next().text()).contains("\"Approved\"");
        NotificationDelivery approved =
            awaitDelivery(app, opened, d -> d.kind().equals("approved"));
        assertThat(approved.channel()).isEqualTo("teams:default");
        assertThat(approved.state()).isEqualTo("delivered");
      }
      assertThat(logs.text()).doesNotContain("S3CRET");
    }
  }

  private static NotificationDelivery awaitDelivery(
      GateApp app, ApprovalRecord approval, Predicate<NotificationDelivery> wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      List<NotificationDelivery> deliveries =
          app.approvals().get("acme", approval.id()).approval().value().notifications();
      for (NotificationDelivery delivery : deliveries) {
        if (wanted.test(delivery)) {
          return delivery;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no matching delivery recorded on the approval within 10 s");
  }
}
